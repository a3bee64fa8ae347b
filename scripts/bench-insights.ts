/**
 * npm run bench [-- --events 1000000] [--exports]: streams generated order logs (shaped like the
 * workflow's) through the process metrics and reports events per second. Orders are generated one
 * at a time and dropped once read, as they would be read from DynamoDB page by page; the heap
 * figure shows that nothing accumulates but the metrics' own numbers. `--exports` also writes OCEL
 * 2.0 and XES (to a discarding sink) in the same pass.
 */
import { parseArgs } from 'node:util';
import { OcelWriter, XesWriter } from '../lambdas/insights/exports';
import { formatReport } from '../lambdas/insights/format';
import { GeneratedLogSource } from '../lambdas/insights/log-source';
import { ProcessMetrics, type ProcessReport } from '../lambdas/insights/metrics';
import { syntheticOrders } from '../lambdas/insights/synthetic';

export interface BenchResult {
  readonly events: number;
  readonly orders: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakHeapMb: number;
  /** The peak heap less the heap when the run began: what the run itself held (the heap of a shared process, a test worker say, holds others' garbage too). */
  readonly heapGrowthMb: number;
  readonly report: ProcessReport;
}

export async function bench(events: number, options: { exports?: boolean; seed?: number } = {}): Promise<BenchResult> {
  const source = new GeneratedLogSource(() => syntheticOrders({ events, seed: options.seed }));
  const metrics = new ProcessMetrics();
  let bytes = 0;
  const discard = (chunk: string) => void (bytes += chunk.length);
  const ocel = options.exports ? new OcelWriter({ event: discard, object: discard }) : undefined;
  const xes = options.exports ? new XesWriter(discard) : undefined;
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let orders = 0;
  const started = process.hrtime.bigint();
  for await (const order of source.orders()) {
    metrics.add(order.entries, order.orderId);
    ocel?.add(order.orderId, order.entries);
    xes?.add(order.orderId, order.entries);
    if (++orders % 2000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const report = metrics.result();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { events: report.events, orders, seconds, eventsPerSecond: report.events / seconds, peakHeapMb: peak / 2 ** 20, heapGrowthMb: (peak - before) / 2 ** 20, report };
}

async function main() {
  const { values: v } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, exports: { type: 'boolean', default: false }, summary: { type: 'boolean', default: false } } });
  const target = Number(v.events);
  const r = await bench(target, { exports: v.exports });
  if (v.summary) process.stdout.write(formatReport(r.report) + '\n\n');
  process.stdout.write(
    `Process metrics${v.exports ? ' + OCEL 2.0 + XES export' : ''}: ${r.events.toLocaleString('en-US')} events of ${r.orders.toLocaleString('en-US')} orders in ${r.seconds.toFixed(2)} s = ` +
      `${Math.round(r.eventsPerSecond).toLocaleString('en-US')} events/s (peak heap ${r.peakHeapMb.toFixed(0)} MB; Node ${process.version})\n`,
  );
  if (target >= 1_000_000 && r.seconds >= 60) {
    process.stderr.write('Slower than the target: one million events in under a minute.\n');
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
