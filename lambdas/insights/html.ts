import { duration, int, pct, recommendationLine, stageLabel } from './format';
import type { CountRow, ProcessReport } from './metrics';

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts drawn here, no
 * script, no font, no request to anywhere. An operations manager opens the file in a browser.
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n1 = (v: number) => (Math.round(v * 10) / 10).toString();

const colors = { wait: '#d9822b', work: '#5b8def', p50: '#1f4e9c', p90: '#8fb0ee', p99: '#0b2550', bar: '#5b8def', line: '#c0392b', hot: '#c0392b', muted: '#6b7280', grid: '#e5e7eb' };

function svg(width: number, height: number, body: string, label: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(label)}" style="max-width:${width}px">${body}</svg>`;
}

const text = (x: number, y: number, s: string, opts: { anchor?: 'start' | 'middle' | 'end'; size?: number; color?: string; weight?: string } = {}) =>
  `<text x="${n1(x)}" y="${n1(y)}" font-size="${opts.size ?? 12}" fill="${opts.color ?? '#111827'}" text-anchor="${opts.anchor ?? 'start'}"${opts.weight ? ` font-weight="${opts.weight}"` : ''}>${esc(s)}</text>`;
const rect = (x: number, y: number, w: number, h: number, fill: string, title?: string) =>
  `<rect x="${n1(x)}" y="${n1(y)}" width="${n1(Math.max(0, w))}" height="${n1(h)}" fill="${fill}">${title ? `<title>${esc(title)}</title>` : ''}</rect>`;

/** Cycle time per stage: p50 to p90 range bars with the p99 marked, on a log scale (minutes to days). */
function cycleTimeChart(r: ProcessReport): string {
  const stages = r.stages.filter((s) => s.cycleHours.count > 0);
  if (stages.length === 0) return '<p class="empty">No stage has been left yet.</p>';
  const left = 150;
  const width = 800;
  const plot = width - left - 160;
  const row = 24;
  const height = 40 + stages.length * row;
  const minH = 1 / 60;
  const maxH = Math.max(1, ...stages.map((s) => s.cycleHours.p99)) * 1.2;
  const x = (h: number) => left + (plot * (Math.log10(Math.max(h, minH)) - Math.log10(minH))) / (Math.log10(maxH) - Math.log10(minH));
  const ticks = [1 / 60, 10 / 60, 1, 6, 24, 72, 168, 720].filter((t) => t <= maxH);
  let body = ticks.map((t) => `<line x1="${n1(x(t))}" x2="${n1(x(t))}" y1="20" y2="${height - 16}" stroke="${colors.grid}"/>${text(x(t), height - 4, duration(t), { anchor: 'middle', size: 10, color: colors.muted })}`).join('');
  stages.forEach((s, i) => {
    const y = 24 + i * row;
    const d = s.cycleHours;
    body += text(left - 8, y + 12, stageLabel(s.stage), { anchor: 'end' });
    body += rect(x(minH), y + 4, x(d.p50) - x(minH), 10, colors.p90, `${stageLabel(s.stage)}: up to the median ${duration(d.p50)}`);
    body += rect(x(d.p50), y + 2, Math.max(2, x(d.p90) - x(d.p50)), 14, colors.p50, `${stageLabel(s.stage)}: p50 ${duration(d.p50)} to p90 ${duration(d.p90)} (${d.count} orders)`);
    body += `<line x1="${n1(x(d.p99))}" x2="${n1(x(d.p99))}" y1="${y}" y2="${y + 18}" stroke="${colors.p99}" stroke-width="2"><title>p99 ${esc(duration(d.p99))}</title></line>`;
    body += text(left + plot + 12, y + 13, `${duration(d.p50)} / ${duration(d.p90)} / ${duration(d.p99)}`, { size: 10, color: colors.muted });
  });
  body += text(left, 12, 'Time per order in each stage: dark bar from median (p50) to p90, tick at p99 (log scale)', { size: 11, color: colors.muted });
  body += text(left + plot + 12, 12, 'p50 / p90 / p99', { size: 10, color: colors.muted });
  return svg(width, height, body, 'Cycle-time distribution per stage');
}

/** Waiting against working time per stage, stacked, the bottleneck in red. */
function waitingChart(r: ProcessReport): string {
  const stages = r.stages.filter((s) => s.totalHours > 0);
  if (stages.length === 0) return '<p class="empty">No stage time recorded yet.</p>';
  const left = 200;
  const width = 760;
  const plot = width - left - 120;
  const row = 24;
  const height = 30 + stages.length * row;
  const max = Math.max(...stages.map((s) => s.totalHours));
  const x = (h: number) => (plot * h) / max;
  let body = text(left, 12, 'Total hours spent in each stage, all orders: waiting for a partner or a person, and working', { size: 11, color: colors.muted });
  stages.forEach((s, i) => {
    const y = 20 + i * row;
    const hot = r.bottleneck?.stage === s.stage;
    body += text(left - 8, y + 13, stageLabel(s.stage) + (hot ? ' (bottleneck)' : ''), { anchor: 'end', color: hot ? colors.hot : undefined, weight: hot ? 'bold' : undefined });
    body += rect(left, y + 3, x(s.waitingHours), 15, hot ? colors.hot : colors.wait, `${stageLabel(s.stage)}: waiting ${duration(s.waitingHours)} (${pct(s.shareOfAllWaiting)} of all waiting)`);
    body += rect(left + x(s.waitingHours), y + 3, x(s.workingHours), 15, colors.work, `${stageLabel(s.stage)}: working ${duration(s.workingHours)}`);
    body += text(left + x(s.totalHours) + 6, y + 14, `${duration(s.waitingHours)} waiting (${pct(s.waitingShareOfStage)})`, { size: 10, color: colors.muted });
  });
  return svg(width, height, body, 'Waiting and working time per stage');
}

/** A Pareto chart: counts descending, cumulative share as a line. */
function paretoChart(rows: readonly CountRow[], title: string): string {
  if (rows.length === 0) return '<p class="empty">No exceptions.</p>';
  const width = 400;
  const height = 250;
  const top = 36;
  const bottom = 80;
  const left = 70;
  const right = 34;
  const plotH = height - top - bottom;
  const barW = (width - left - right) / rows.length;
  const max = Math.max(...rows.map((r) => r.count));
  const total = rows.reduce((a, r) => a + r.count, 0);
  let body = text(left, 14, title, { size: 12, weight: 'bold' });
  body += `<line x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="${colors.muted}"/>`;
  let cum = 0;
  const points: string[] = [];
  rows.forEach((r, i) => {
    const h = (plotH * r.count) / max;
    const x = left + i * barW;
    body += rect(x + 3, top + plotH - h, barW - 6, h, colors.bar, `${r.key}: ${r.count} (${n1(r.perOrder * 100)} per 100 orders)`);
    body += text(x + barW / 2, top + plotH - h - 3, String(r.count), { anchor: 'middle', size: 10 });
    body += `<text x="${n1(x + barW / 2)}" y="${top + plotH + 10}" font-size="10" fill="#111827" text-anchor="end" transform="rotate(-35 ${n1(x + barW / 2)} ${top + plotH + 10})">${esc(r.key)}</text>`;
    cum += r.count;
    points.push(`${n1(x + barW / 2)},${n1(top + plotH - (plotH * cum) / total)}`);
  });
  body += `<polyline points="${points.join(' ')}" fill="none" stroke="${colors.line}" stroke-width="2"/>`;
  body += points.map((p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${colors.line}"/>`).join('');
  body += text(width - right + 4, top + 4, '100%', { size: 10, color: colors.line });
  body += text(width - right + 4, top + plotH / 2 + 4, '50%', { size: 10, color: colors.line });
  return svg(width, height, body, title);
}

/** The most frequent paths, each as a row of stage chevrons with its frequency bar. */
function variantMap(r: ProcessReport): string {
  const variants = r.variants.slice(0, 10);
  if (variants.length === 0) return '<p class="empty">No orders yet.</p>';
  const boxW = 74;
  const gap = 4;
  const left = 170;
  const longest = Math.max(...variants.map((v) => v.path.length));
  const width = left + longest * (boxW + gap) + 10;
  const row = 34;
  const height = 26 + variants.length * row;
  const maxShare = Math.max(...variants.map((v) => v.share));
  const shade = (stage: string) =>
    stage === 'COMPLETED' ? '#16a34a' : stage === 'CANCELLED' ? '#6b7280' : stage === 'ON_HOLD' || stage === 'BACKORDERED' ? colors.hot : stage === 'AWAITING_PLANNER' || stage === 'REALLOCATED' ? colors.wait : '#3b6fd4';
  let body = text(0, 12, `${r.variantCount} distinct paths; the ${variants.length} most frequent, with share of orders and median duration`, { size: 11, color: colors.muted });
  variants.forEach((v, i) => {
    const y = 22 + i * row;
    body += rect(0, y + 4, (90 * v.share) / maxShare, 18, colors.bar, `${v.count} orders (${pct(v.share, 1)})`);
    body += text(96, y + 13, `${pct(v.share, 1)} · ${v.count}`, { size: 11 });
    body += text(96, y + 26, `median ${duration(v.medianHours)}`, { size: 10, color: colors.muted });
    v.path.forEach((stage, j) => {
      const x = left + j * (boxW + gap);
      const tip = 8;
      const pts = [`${x},${y + 2}`, `${x + boxW - tip},${y + 2}`, `${x + boxW},${y + 15}`, `${x + boxW - tip},${y + 28}`, `${x},${y + 28}`, `${x + (j ? tip : 0)},${y + 15}`].join(' ');
      body += `<polygon points="${pts}" fill="${shade(stage)}"><title>${esc(stageLabel(stage))}</title></polygon>`;
      const label = stageLabel(stage);
      body += text(x + boxW / 2 + (j ? 2 : -2), y + 19, label.length > 11 ? label.slice(0, 10) + '…' : label, { anchor: 'middle', size: 9, color: '#ffffff' });
    });
  });
  return svg(width, height, body, 'Process variants');
}

const tile = (label: string, value: string, note = '') => `<div class="tile"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="note">${esc(note)}</div></div>`;

function htmlTable(header: string[], rows: string[][]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function renderHtml(r: ProcessReport, options: { title?: string; generatedAt?: string } = {}): string {
  const title = options.title ?? 'Order-to-ship process report';
  const a = r.exceptions.aging;
  const tiles = [
    tile('Orders', int(r.orders), `${int(r.completed)} completed, ${int(r.cancelled)} cancelled, ${int(r.inProgress)} in progress`),
    tile('End to end (median)', r.endToEndHours.count ? duration(r.endToEndHours.p50) : '-', r.endToEndHours.count ? `p90 ${duration(r.endToEndHours.p90)}, p99 ${duration(r.endToEndHours.p99)}` : 'no completed order'),
    tile('Shipped on time', pct(r.onTimeShipment.rate), `${r.onTimeShipment.onTime} of ${r.onTimeShipment.measured}`),
    tile('Delivered on time', pct(r.onTimeDelivery.rate), `${r.onTimeDelivery.onTime} of ${r.onTimeDelivery.measured}`),
    tile('Orders with an exception', pct(r.exceptions.orderRate), `${int(r.exceptions.total)} exceptions, ${a.openOverdue} open past SLA`),
    tile('SLA breaches', int(r.slaBreaches.total), `on ${r.slaBreaches.ordersAffected} orders`),
    tile('Bottleneck', r.bottleneck ? stageLabel(r.bottleneck.stage) : '-', r.bottleneck ? `${pct(r.bottleneck.share)} of all waiting time` : 'no waiting recorded'),
    tile('Invoice lag (median)', r.invoiceLagHours.count ? duration(r.invoiceLagHours.p50) : '-', 'after proof of delivery'),
  ].join('');

  const stageRows = r.stages
    .filter((s) => s.cycleHours.count > 0 || s.slaBreaches > 0)
    .map((s) => [stageLabel(s.stage), int(s.orders), duration(s.cycleHours.p50), duration(s.cycleHours.p90), duration(s.cycleHours.p99), pct(s.waitingShareOfStage), s.ordersBreachingSla ? pct(s.slaBreachRate) : '-']);
  const roles = r.approvals.map((x) => [x.role, int(x.decided), int(x.pending), x.latencyHours.count ? duration(x.latencyHours.p50) : '-', x.latencyHours.count ? duration(x.latencyHours.p90) : '-']);
  const w = r.rework;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f3f4f6;color:#111827}
header{background:#1f2937;color:#fff;padding:16px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#d1d5db;font-size:13px}
main{padding:20px 28px;max-width:1180px}
section{background:#fff;border-radius:8px;padding:16px 20px;margin:0 0 18px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
h2{font-size:17px;margin:0 0 6px}p.lead{margin:0 0 12px;color:#4b5563;font-size:13px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px}
.tile{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.tile .label{font-size:12px;color:#6b7280}.tile .value{font-size:24px;font-weight:600;margin:2px 0}.tile .note{font-size:12px;color:#6b7280}
.pair{display:flex;flex-wrap:wrap;gap:16px}.pair figure{flex:1 1 360px;margin:0}
table{border-collapse:collapse;font-size:13px;margin-top:8px}th,td{padding:4px 10px;text-align:right;border-bottom:1px solid #e5e7eb}th:first-child,td:first-child{text-align:left}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px;vertical-align:middle}
.empty{color:#6b7280;font-style:italic}
</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p>${int(r.orders)} orders, ${int(r.events)} events from ${esc(r.firstEventAt ?? '-')} to ${esc(r.lastEventAt ?? '-')}${options.generatedAt ? `. Generated ${esc(options.generatedAt)}` : ''}.</p></header>
<main>
<section id="headline"><h2>Headline</h2><div class="tiles">${tiles}</div></section>

<section id="waiting"><h2>Where the waiting is</h2>
<p class="lead">Time in each stage split into waiting (for a carrier, the warehouse or a person) and working. The bottleneck is the stage with the largest share of all waiting time.</p>
<p class="legend"><span style="background:${colors.wait}"></span>waiting<span style="background:${colors.work}"></span>working<span style="background:${colors.hot}"></span>bottleneck</p>
<figure data-chart="stage-waiting">${waitingChart(r)}</figure></section>

<section id="cycle-time"><h2>Cycle time per stage</h2>
<p class="lead">How long orders stay in each stage. Half the orders are faster than the median (p50); one in ten is slower than p90.</p>
<figure data-chart="cycle-time">${cycleTimeChart(r)}</figure>
${htmlTable(['Stage', 'Orders', 'p50', 'p90', 'p99', 'Waiting share', 'SLA breached'], stageRows)}</section>

<section id="exceptions"><h2>Exceptions</h2>
<p class="lead">${int(r.exceptions.total)} exceptions on ${int(r.exceptions.ordersWithException)} orders (${pct(r.exceptions.orderRate)}). Decided: ${a.resolved} (${a.resolvedWithinSla} within SLA, ${a.resolvedLate} late). Open: ${a.open}, of which ${a.openOverdue} are past their SLA${a.oldestOpen ? `; the oldest is ${esc(a.oldestOpen.category)} on order ${esc(a.oldestOpen.orderId)}, ${duration(a.oldestOpen.ageHours)} old` : ''}.</p>
<div class="pair"><figure data-chart="exceptions-by-category">${paretoChart(r.exceptions.byCategory, 'By category')}</figure><figure data-chart="exceptions-by-source">${paretoChart(r.exceptions.bySourceSystem, 'By source system')}</figure></div>
${roles.length ? `<h2 style="margin-top:12px">Decisions by role</h2>${htmlTable(['Role', 'Decided', 'Pending', 'p50', 'p90'], roles)}` : ''}</section>

<section id="variants"><h2>Process variants</h2>
<p class="lead">The distinct paths orders took through the stages. Rework: ${w.reTenders} re-tenders on ${w.ordersReTendered} orders, ${w.reallocations} reallocations, ${w.promiseRecomputations} promise changes (${pct(w.reworkRate)} of orders re-tendered or reallocated).</p>
<p class="lead">${esc(recommendationLine(r.recommendations))}.</p>
<figure data-chart="variants" style="overflow-x:auto">${variantMap(r)}</figure></section>
</main>
</body>
</html>
`;
}
