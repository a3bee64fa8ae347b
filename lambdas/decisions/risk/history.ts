import { deliveryDelayProbability, shipLateProbability, siteQueueLength } from '../../adapters/simulators/lateness';
import { between, defaultProfile, draw, type SimulationProfile } from '../../adapters/simulators/profile';
import { chooseSite } from '../../domain/allocation';
import type { CustomerPriority } from '../../domain/order';
import { defaultSla } from '../../domain/sla';
import { tenderIdFor } from '../../domain/tendering';
import type { LogEntry } from '../../ports';
import type { OrderLog } from '../../insights/log-source';

/**
 * Simulated history for training and evaluating the delay-risk model: weeks of orders run through a
 * fast, straight-line copy of the order-to-ship workflow (no engine, no store), writing the entries
 * the workflow writes (RELEASED with its commitments, ALLOCATED with the site's queue, tenders and
 * their answers, CARRIER_CONFIRMED, ShipConfirmed, delay milestones and recomputed promises, proof
 * of delivery, SLA breaches). Partners behave as the simulators do: the same profile, the same
 * seeded draws and the same lateness functions (lambdas/adapters/simulators/lateness.ts), so what
 * the model learns here is what the local runtime does. Tens of thousands of orders take seconds.
 */

export interface HistoryOptions {
  /** Business days to simulate (weekends included, at 40% of a weekday's volume). */
  readonly days: number;
  readonly ordersPerDay: number;
  /** First day (UTC midnight, ms). @default 2026-01-05 (a Monday) */
  readonly start?: number;
  /** @default defaultProfile(seed) */
  readonly profile?: SimulationProfile;
  /** @default 42 */
  readonly seed?: number;
}

const H = 3_600_000;
const M = 60_000;
const orchestrator = { type: 'system', id: 'order-to-ship' } as const;
const partner = (id: string) => ({ type: 'system', id }) as const;
const iso = (t: number) => new Date(t).toISOString();

/** Orders one at a time, in release order (each order's entries oldest first). */
export function* generateHistory(options: HistoryOptions): Generator<OrderLog> {
  const seed = options.seed ?? options.profile?.seed ?? 42;
  const profile = options.profile ?? defaultProfile(seed);
  const start = options.start ?? Date.parse('2026-01-05T00:00:00Z');
  const countries = profile.servedCountries;
  const carriersById = new Map(profile.carriers.map((c) => [c.carrierId, c]));
  const fastest = [...profile.carriers].sort((a, b) => a.transitHours - b.transitHours)[0]!;
  for (let day = 0; day < options.days; day++) {
    const dayStart = start + day * 24 * H;
    const weekday = new Date(dayStart).getUTCDay();
    const count = Math.round(options.ordersPerDay * (weekday === 0 || weekday === 6 ? 0.4 : 1));
    for (let i = 0; i < count; i++) {
      const orderId = `H${seed}-${String(day).padStart(4, '0')}-${String(i + 1).padStart(4, '0')}`;
      // Spread over 08:00-18:00 UTC, strictly in order (the merge below relies on release order).
      const released = dayStart + 8 * H + Math.floor(((i + 0.9 * draw(seed, orderId, 'jitter')) / count) * 10 * H);
      yield { orderId, entries: orderHistory(orderId, released) };
    }
  }

  function orderHistory(orderId: string, released: number): LogEntry[] {
    const entries: LogEntry[] = [];
    let t = released;
    let seq = 0;
    let stage: string | null = null;
    const country = countries[Math.floor(draw(seed, orderId, 'country') * countries.length)]!;
    const assigned = [...profile.sites].sort((a, b) => (a.distanceKm[country] ?? 9e9) - (b.distanceKm[country] ?? 9e9))[0]!;
    let siteId = assigned.siteId;
    let lane = `${siteId}>${country}`;
    let carrierId: string | undefined;
    const p = draw(seed, orderId, 'priority');
    const priority: CustomerPriority = p < 0.7 ? 'STANDARD' : p < 0.9 ? 'PRIORITY' : 'EXPRESS';
    const requestedShipDate = iso(released + (priority === 'EXPRESS' ? 0.4 : 1) * 24 * H);
    let promised = iso(released + ((priority === 'EXPRESS' ? 0.4 : 1) + (priority === 'STANDARD' ? 3 : 2)) * 24 * H);
    const originalPromise = promised;
    const push = (type: LogEntry['type'], fields: Partial<LogEntry> = {}) =>
      entries.push({ eventId: `${orderId}-${++seq}`, orderId, type, at: iso(t), actor: orchestrator, sourceSystem: 'orchestrator', siteId, lane, carrierId, ...fields } as LogEntry);
    const to = (s: string, details: Record<string, unknown> = {}) => {
      push('STAGE_CHANGED', { stage: s as never, fromStage: stage as never, details });
      stage = s;
    };
    const event = (system: string, details: Record<string, unknown>, type: LogEntry['type'] = 'PARTNER_EVENT') => push(type, { sourceSystem: system, actor: partner(system), details });

    to('RELEASED', { requestedShipDate, promisedDeliveryDate: promised, customerPriority: priority });
    t += 0.5 * M;
    to('VALIDATED');
    t += 0.5 * M;
    const sites = profile.sites.map((s) => ({
      siteId: s.siteId,
      canFulfil: draw(seed, orderId, 'stock', s.siteId) >= s.stockShortRate,
      distanceKm: s.distanceKm[country] ?? 2000,
      queueLength: siteQueueLength(seed, orderId, s.siteId),
    }));
    const allocation = chooseSite(siteId, sites);
    if (allocation.outcome !== 'ALLOCATED') {
      push('DECISION', { sourceSystem: 'wms', details: { decision: 'STOCK_SHORT_AT_ASSIGNED_SITE' } });
      t += 0.5 * M;
      if (allocation.outcome === 'SHORT') {
        to('BACKORDERED', { sitesChecked: allocation.sitesChecked });
        return entries;
      }
      push('DECISION', { sourceSystem: 'wms', siteId: allocation.siteId, details: { decision: 'REALLOCATED', fromSiteId: siteId, toSiteId: allocation.siteId, reason: allocation.reason } });
      siteId = allocation.siteId;
      lane = `${siteId}>${country}`;
      to('REALLOCATED', { fromSiteId: allocation.fromSiteId, siteQueueLength: sites.find((s) => s.siteId === siteId)!.queueLength });
    } else {
      to('ALLOCATED', { siteQueueLength: sites.find((s) => s.siteId === siteId)!.queueLength });
    }
    t += between(seed, [3, 30], orderId, 'wave') * M;
    to('WAVE_RELEASED', { waveId: `WV-${orderId}` });
    t += between(seed, [5, 60], orderId, 'plan') * M;
    const units = 10 + Math.floor(draw(seed, orderId, 'units') * 60);
    const ranked = profile.carriers
      .map((c) => ({ carrierId: c.carrierId, rate: Math.round(units * 2 * c.ratePerKg * (0.9 + 0.2 * draw(seed, lane, c.carrierId)) * 100) / 100 }))
      .sort((a, b) => a.rate - b.rate);
    to('LOAD_PLANNED', { loadId: `LD-${orderId}`, carriers: ranked.map((c) => c.carrierId) });

    let booked = false;
    for (let attempt = 0; attempt < Math.min(3, ranked.length) && !booked; attempt++) {
      const candidate = ranked[attempt]!;
      const c = carriersById.get(candidate.carrierId)!;
      const tenderId = tenderIdFor(orderId, attempt);
      carrierId = c.carrierId;
      t += 0.5 * M;
      to('TENDERED', { tenderId, attempt: attempt + 1, rank: attempt + 1 });
      if (attempt > 0) push('DECISION', { details: { decision: 'RE_TENDER', tenderId, attempt: attempt + 1 } });
      push('WAIT_STARTED', { details: { kind: 'TENDER', key: `TENDER#${tenderId}`, dueAt: iso(t + defaultSla.tenderResponseSeconds * 1000) } });
      if (draw(seed, tenderId, 'silence') < c.silenceRate) {
        t += defaultSla.tenderResponseSeconds * 1000;
        push('WAIT_ENDED', { details: { kind: 'TENDER', key: `TENDER#${tenderId}`, outcome: 'TIMED_OUT' } });
        push('SLA_BREACHED', { details: { sla: 'tender-response', tenderId } });
      } else {
        t += between(seed, c.responseMinutes, tenderId, 'response') * M;
        const accepted = draw(seed, tenderId, 'accept') < c.acceptanceRate;
        event('carrier', { eventType: accepted ? 'TenderAccepted' : 'TenderRejected', tenderId, loadId: `LD-${orderId}`, carrierId: c.carrierId });
        if (accepted) {
          to('CARRIER_CONFIRMED', { tenderId });
          booked = true;
        }
      }
      if (!booked) {
        t += 0.5 * M;
        push('DECISION', { details: { decision: 'RECOMMENDATION', kind: 'CARRIER', choice: ranked[attempt + 1]?.carrierId ?? null } });
      }
    }
    if (!booked) {
      const exceptionId = `${orderId}-CC`;
      push('EXCEPTION_RAISED', { sourceSystem: 'carrier', details: { exceptionId, category: 'CARRIER_CAPACITY', ownerTeam: 'transport-planning', severity: 'HIGH', dueAt: iso(t + defaultSla.plannerDecisionSeconds * 1000) } });
      push('APPROVAL_REQUESTED', { details: { approvalId: exceptionId, ownerTeam: 'transport-planning', dueAt: iso(t + defaultSla.plannerDecisionSeconds * 1000) } });
      to('AWAITING_PLANNER', { exceptionId });
      t += between(seed, [15, 240], orderId, 'planner') * M;
      carrierId = fastest.carrierId;
      push('APPROVAL_DECIDED', { sourceSystem: 'ops', actor: { type: 'person', id: 'planner-1', role: 'transport-planner' } as never, details: { approvalId: exceptionId, decision: 'APPROVE_ALTERNATE_CARRIER', carrierId } });
      push('DECISION', { details: { decision: 'BOOK_PLANNER_CARRIER', tenderId: `${orderId}-P` } });
      to('CARRIER_CONFIRMED', { bookedBy: 'planner' });
    }
    const carrier = carriersById.get(carrierId!)!;

    // The warehouse: pickup booked now, for two hours from now; the goods leave after picking (36 h later when it slips).
    t += 0.5 * M;
    const booking = t;
    const shipDue = Date.parse(requestedShipDate) + defaultSla.shipGraceSeconds * 1000;
    push('WAIT_STARTED', { details: { kind: 'SHIP_CONFIRMATION', key: `SHIP#${orderId}`, dueAt: iso(shipDue) } });
    const late = draw(seed, orderId, 'late-ship') < shipLateProbability(profile.lateShipmentRate, { at: iso(booking), siteQueueLength: siteQueueLength(seed, orderId, siteId), requestedShipDate, customerPriority: priority });
    const leaves = booking + 2 * H + between(seed, profile.pickMinutes, orderId, 'pick') * M + (late ? 36 * H : 0);
    if (leaves > shipDue) {
      t = Math.max(t, shipDue);
      push('SLA_BREACHED', { stage: stage as never, details: { sla: 'ship-confirmation', exceptionId: `${orderId}-LS` } });
    }
    t = Math.max(t, leaves - 30 * M);
    event('wms', { eventType: 'ShipmentPacked', shipmentId: `SH-${orderId}`, packages: 1 });
    t = leaves;
    event('wms', { eventType: 'ShipConfirmed', shipmentId: `SH-${orderId}`, carrierId, shippedAt: iso(leaves) });
    to('SHIPPED');

    // The carrier: tracked from departure; a delay adds a day and moves the promise.
    t += 0.5 * M;
    const departed = t;
    const delayed = draw(seed, orderId, 'delay') < deliveryDelayProbability(carrier.delayRate, seed, { at: iso(departed), carrierId: carrier.carrierId, lane });
    const failed = draw(seed, orderId, 'failed-delivery') < carrier.failedDeliveryRate;
    const transit = carrier.transitHours * 60 * (0.8 + 0.4 * draw(seed, orderId, 'transit')) * M;
    const deliveredAt = departed + transit + (delayed ? 24 * H : 0);
    push('WAIT_STARTED', { details: { kind: 'DELIVERY', key: `DELIVERY#${orderId}`, dueAt: iso(Date.parse(promised) + defaultSla.deliveryGraceSeconds * 1000) } });
    t = departed + 30 * M;
    event('carrier', { eventType: 'ShipmentMilestone', shipmentId: `SH-${orderId}`, carrierId, statusCode: 'AF' }, 'MILESTONE');
    to('IN_TRANSIT');
    if (delayed) {
      t = departed + transit * 0.5;
      const estimate = iso(Math.max(deliveredAt, Date.parse(promised) + H));
      event('carrier', { eventType: 'ShipmentMilestone', shipmentId: `SH-${orderId}`, carrierId, statusCode: 'SD', estimatedDeliveryAt: estimate, reason: 'Congestion at cross-dock' }, 'MILESTONE');
      push('DECISION', { sourceSystem: 'carrier', details: { decision: 'PROMISE_RECOMPUTED', from: promised, to: estimate, statusCode: 'SD' } });
      promised = estimate;
    }
    const finalDelivery = failed ? deliveredAt + 24 * H : deliveredAt;
    const deliveryDue = Date.parse(promised) + defaultSla.deliveryGraceSeconds * 1000;
    if (finalDelivery > deliveryDue) {
      t = Math.max(t, deliveryDue);
      push('SLA_BREACHED', { stage: stage as never, details: { sla: 'delivery', exceptionId: `${orderId}-LD` } });
    }
    if (failed) {
      t = Math.max(t, deliveredAt);
      event('carrier', { eventType: 'ShipmentMilestone', shipmentId: `SH-${orderId}`, carrierId, statusCode: 'A7', reason: 'Consignee refused: damaged packaging' }, 'MILESTONE');
    }
    t = Math.max(t, finalDelivery + 5 * M);
    event('carrier', { eventType: 'ProofOfDelivery', shipmentId: `SH-${orderId}`, carrierId, deliveredAt: iso(finalDelivery), signedBy: 'Receiving dock' });
    to('DELIVERED', { originalPromise });
    t += between(seed, [3, 120], orderId, 'invoice') * M;
    event('finance', { eventType: 'InvoiceReleased', invoiceId: `INV-${orderId}`, amount: { amount: 1250, currency: 'EUR' } });
    to('INVOICED', { invoiceId: `INV-${orderId}` });
    to('COMPLETED');
    return entries;
  }
}

/**
 * Entries of many orders merged into one stream in business-time order, holding only the orders
 * still open: `orders` must come in release order (each order's entries oldest first).
 */
export function* inTimeOrder(orders: Iterable<OrderLog>): Generator<LogEntry> {
  const heap: { at: string; n: number; entry: LogEntry }[] = [];
  let n = 0;
  const less = (a: (typeof heap)[number], b: (typeof heap)[number]) => a.at < b.at || (a.at === b.at && a.n < b.n);
  const pushHeap = (item: (typeof heap)[number]) => {
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const popHeap = () => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top.entry;
  };
  for (const order of orders) {
    const first = order.entries[0];
    if (!first) continue;
    while (heap.length > 0 && heap[0]!.at < first.at) yield popHeap();
    for (const entry of order.entries) pushHeap({ at: entry.at, n: n++, entry });
  }
  while (heap.length > 0) yield popHeap();
}
