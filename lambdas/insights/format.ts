import type { CountRow, Distribution, ProcessReport } from './metrics';

/** Human wording shared by the text summary, the HTML page and the exports. */

const stageLabels: Record<string, string> = {
  RELEASED: 'Released',
  VALIDATED: 'Validated',
  ON_HOLD: 'On hold',
  ALLOCATED: 'Allocated',
  REALLOCATED: 'Reallocated',
  BACKORDERED: 'Backordered',
  WAVE_RELEASED: 'Wave released',
  LOAD_PLANNED: 'Load planned',
  TENDERED: 'Tendered',
  CARRIER_CONFIRMED: 'Carrier confirmed',
  AWAITING_PLANNER: 'Awaiting planner',
  SHIPPED: 'Shipped',
  IN_TRANSIT: 'In transit',
  DELIVERED: 'Delivered',
  INVOICED: 'Invoiced',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

export const stageLabel = (stage: string) => stageLabels[stage] ?? stage.charAt(0) + stage.slice(1).toLowerCase().replace(/_/g, ' ');

/** Hours as a short duration: minutes under an hour, days from two days. */
export function duration(hours: number): string {
  if (!Number.isFinite(hours)) return '-';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} d`;
}

export const pct = (share: number, digits = 0) => `${(share * 100).toFixed(digits)}%`;
export const int = (n: number) => n.toLocaleString('en-US');

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const dist = (d: Distribution) => (d.count ? `p50 ${duration(d.p50)}, p90 ${duration(d.p90)}, p99 ${duration(d.p99)}` : 'no data');
const day = (iso?: string) => (iso ? iso.slice(0, 16).replace('T', ' ') : '-');

function table(header: string[], rows: string[][], align: Array<'l' | 'r'>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => (align[i] === 'r' ? lpad(c, widths[i]!) : pad(c, widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const countRows = (rows: readonly CountRow[]) => {
  const total = rows.reduce((a, b) => a + b.count, 0);
  return rows.map((r) => [r.key, int(r.count), (r.perOrder * 100).toFixed(1), pct(total ? r.count / total : 0)]);
};

/** The readable summary `npm run report` prints (and `npm start` ends with). */
export function formatReport(r: ProcessReport, options: { variants?: number } = {}): string {
  const out: string[] = [];
  out.push(`Process intelligence: ${int(r.orders)} orders, ${int(r.events)} events, ${day(r.firstEventAt)} to ${day(r.lastEventAt)} UTC`);
  out.push('');
  const running = Object.entries(r.ordersByFinalStage)
    .filter(([s]) => s !== 'COMPLETED' && s !== 'CANCELLED')
    .map(([s, n]) => `${stageLabel(s).toLowerCase()} ${n}`)
    .join(', ');
  out.push(`Orders        ${int(r.completed)} completed (${pct(r.orders ? r.completed / r.orders : 0)}), ${int(r.cancelled)} cancelled, ${int(r.inProgress)} in progress${running ? ` (${running})` : ''}`);
  out.push(`End to end    ${dist(r.endToEndHours)} (released to completed)`);
  out.push(
    `On time       shipment ${pct(r.onTimeShipment.rate)} (${r.onTimeShipment.onTime}/${r.onTimeShipment.measured}), delivery ${pct(r.onTimeDelivery.rate)} (${r.onTimeDelivery.onTime}/${r.onTimeDelivery.measured})`,
  );
  out.push(`Invoice lag   ${dist(r.invoiceLagHours)} after proof of delivery`);
  out.push('');
  out.push('Where the time goes, per stage (time per order; waiting = for a partner or a person)');
  const stageRows = r.stages
    .filter((s) => s.cycleHours.count > 0 || s.slaBreaches > 0)
    .map((s) => [
      stageLabel(s.stage) + (r.bottleneck?.stage === s.stage ? ' *' : ''),
      int(s.orders),
      duration(s.cycleHours.p50),
      duration(s.cycleHours.p90),
      duration(s.cycleHours.p99),
      pct(s.waitingShareOfStage),
      pct(s.shareOfAllWaiting),
      s.ordersBreachingSla ? `${pct(s.slaBreachRate)} (${int(s.ordersBreachingSla)})` : '-',
    ]);
  out.push(...table(['Stage', 'Orders', 'p50', 'p90', 'p99', 'Waiting', 'Of all waiting', 'SLA breached'], stageRows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']));
  out.push(
    r.bottleneck
      ? `  * Bottleneck: ${stageLabel(r.bottleneck.stage)}, ${pct(r.bottleneck.share)} of all waiting time (${int(Math.round(r.bottleneck.waitingHours))} h in total).`
      : '  No waiting time recorded yet.',
  );
  out.push('');
  const ex = r.exceptions;
  out.push(`Exceptions    ${int(ex.total)} raised on ${int(ex.ordersWithException)} orders (${pct(ex.orderRate)} of orders)`);
  if (ex.total > 0) {
    out.push(...table(['Category', 'Count', 'Per 100 orders', 'Share'], countRows(ex.byCategory), ['l', 'r', 'r', 'r']));
    out.push(...table(['Source system', 'Count', 'Per 100 orders', 'Share'], countRows(ex.bySourceSystem), ['l', 'r', 'r', 'r']));
    const a = ex.aging;
    out.push(
      `  Aging: ${int(a.resolved)} decided (${int(a.resolvedWithinSla)} within SLA, ${int(a.resolvedLate)} late; ${dist(a.hoursToResolve)}), ${int(a.closedWithOrder)} closed with their order, ${int(a.open)} open (${int(a.openOverdue)} past their SLA)`,
    );
    if (a.open > 0) {
      out.push(`  Open by age: ${Object.entries(a.openAgeBuckets).map(([b, n]) => `${b}: ${n}`).join(', ')}`);
      if (a.oldestOpen) out.push(`  Oldest open: ${a.oldestOpen.category} on order ${a.oldestOpen.orderId}, ${duration(a.oldestOpen.ageHours)} old${a.oldestOpen.overdueHours > 0 ? `, ${duration(a.oldestOpen.overdueHours)} past its SLA` : ''}`);
    }
  }
  if (r.approvals.length > 0) {
    out.push('');
    out.push('Decisions by role (exception raised to decision)');
    out.push(
      ...table(
        ['Role', 'Decided', 'Pending', 'p50', 'p90'],
        r.approvals.map((a) => [a.role, int(a.decided), int(a.pending), a.latencyHours.count ? duration(a.latencyHours.p50) : '-', a.latencyHours.count ? duration(a.latencyHours.p90) : '-']),
        ['l', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  out.push('');
  const w = r.rework;
  out.push(
    `Rework        ${int(w.reTenders)} re-tenders on ${int(w.ordersReTendered)} orders, ${int(w.reallocations)} reallocations, ${int(w.promiseRecomputations)} promise changes, ${int(w.plannerBookings)} planner bookings (${pct(w.reworkRate)} of orders re-tendered or reallocated)`,
  );
  out.push(recommendationLine(r.recommendations));
  out.push(
    `SLA breaches  ${int(r.slaBreaches.total)} on ${int(r.slaBreaches.ordersAffected)} orders${r.slaBreaches.total ? `: ${Object.entries(r.slaBreaches.bySla).map(([k, n]) => `${k} ${int(n)}`).join(', ')}` : ''}`,
  );
  out.push('');
  const shown = r.variants.slice(0, options.variants ?? 5);
  out.push(`Variants      ${r.variantCount} distinct paths; the ${shown.length} most frequent:`);
  for (const v of shown) {
    out.push(`  ${lpad(pct(v.share), 4)}  ${lpad(int(v.count), 5)} order${v.count === 1 ? " " : "s"}  median ${lpad(duration(v.medianHours), 7)}  ${v.path.map(stageLabel).join(' > ')}${v.inProgress ? ` (${int(v.inProgress)} in progress)` : ''}`);
  }
  return out.join('\n');
}

/** How often the decision step's recommendations were taken and how the orders turned out. */
export function recommendationLine(rec: ProcessReport['recommendations']): string {
  if (!rec.total) return 'Recommendations none';
  const v = rec.byVerdict;
  const rate = (b: { delivered: number; onTime: number }) => (b.delivered ? `${pct(b.onTime / b.delivered)} of ${int(b.delivered)}` : '-');
  return (
    `Recommendations ${int(rec.total)}: ${int(v.AUTO_APPLIED)} auto-applied, ${int(v.APPROVED + v.OVERRIDDEN + v.UNANSWERED)} sent for approval ` +
    `(${int(v.APPROVED)} approved, ${int(v.OVERRIDDEN)} overridden, ${int(v.UNANSWERED)} unanswered), ${int(v.NO_ALTERNATE)} with no alternate; ` +
    `delivered on time: ${rate(rec.onTime.taken)} taken, ${rate(rec.onTime.notTaken)} overridden`
  );
}
