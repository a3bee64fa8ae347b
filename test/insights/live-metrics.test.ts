import { liveMetrics, withProcessMetrics, type MetricDatum } from '../../lambdas/insights/live-metrics';
import type { LogEntry, WorkflowStore } from '../../lambdas/ports';
import { orderB, orderC } from './hand-logs';

/** Replays a log entry by entry, as the store appends it, and collects what would be emitted. */
function replay(log: LogEntry[]): MetricDatum[] {
  const seen: LogEntry[] = [];
  const out: MetricDatum[] = [];
  for (const e of log) {
    seen.push(e);
    out.push(...liveMetrics(e, seen));
  }
  return out;
}
const sum = (data: MetricDatum[], name: string, dims?: Record<string, string>) =>
  data.filter((d) => d.name === name && (!dims || JSON.stringify(d.dimensions) === JSON.stringify(dims))).reduce((a, d) => a + d.value, 0);

describe('live process metrics (embedded metric format on AWS)', () => {
  it('emits the same durations and counts for order B as the report works out by hand', () => {
    const data = replay(orderB());
    expect(sum(data, 'OrdersReleased')).toBe(1);
    expect(sum(data, 'OrdersCompleted')).toBe(1);
    expect(sum(data, 'OrderCycleTime')).toBe(54 * 3600);
    expect(sum(data, 'StageTime', { stage: 'TENDERED' })).toBe(7 * 3600); // the re-tender at 9 h stays in the visit
    expect(sum(data, 'StageEntered', { stage: 'TENDERED' })).toBe(1);
    expect(sum(data, 'StageTime', { stage: 'SHIPPED' })).toBe(28 * 3600);
    expect(sum(data, 'SlaBreached', { stage: 'TENDERED' })).toBe(1);
    expect(sum(data, 'SlaBreaches')).toBe(1);
    expect(data.filter((d) => d.name === 'ShippedOnTime').map((d) => d.value)).toEqual([0]);
    expect(data.filter((d) => d.name === 'DeliveredOnTime').map((d) => d.value)).toEqual([0]);
    expect(sum(data, 'InvoiceLag')).toBe(3 * 3600);
    expect(sum(data, 'ReTender')).toBe(1);
    expect(sum(data, 'Reallocation')).toBe(1);
    expect(data.find((d) => d.name === 'DecisionLatency')).toEqual({ name: 'DecisionLatency', unit: 'Seconds', value: 3 * 3600, dimensions: { role: 'transport-planner' } });
    expect(data.find((d) => d.name === 'ExceptionBySource')?.dimensions).toEqual({ sourceSystem: 'carrier' });
  });

  it('counts an exception left undecided past its SLA', () => {
    const data = replay(orderC());
    expect(sum(data, 'ExceptionOverdue')).toBe(1);
    expect(sum(data, 'SlaBreached', { stage: 'BACKORDERED' })).toBe(1);
  });

  it('uses only a few low-cardinality dimensions', () => {
    const keys = new Set(replay([...orderB(), ...orderC()]).flatMap((d) => Object.keys(d.dimensions ?? {})));
    expect([...keys].sort()).toEqual(['role', 'sourceSystem', 'stage']);
  });

  it('wraps a store: emits once per first-time append, never fails the append', async () => {
    const log: LogEntry[] = [];
    const store = {
      async append(e: LogEntry) {
        if (log.some((x) => x.eventId === e.eventId)) return false;
        log.push(e);
        return true;
      },
      async history() {
        return [...log];
      },
    } as unknown as WorkflowStore;
    const emitted: MetricDatum[] = [];
    const wrapped = withProcessMetrics(store, { emit: (d) => emitted.push(d) });
    for (const e of orderB()) await wrapped.append(e);
    for (const e of orderB()) expect(await wrapped.append(e)).toBe(false);
    expect(sum(emitted, 'OrderCycleTime')).toBe(54 * 3600);
    expect(sum(emitted, 'ReTender')).toBe(1);
    const failing = withProcessMetrics({ ...store, append: async () => true, history: async () => { throw new Error('down'); } } as unknown as WorkflowStore, { emit: () => {} });
    await expect(failing.append(orderB()[0]!)).resolves.toBe(true);
  });
});
