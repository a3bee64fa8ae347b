import { bench } from '../../scripts/bench-insights';
import { processMetrics } from '../../lambdas/insights/metrics';
import { syntheticOrders } from '../../lambdas/insights/synthetic';

describe('metrics at scale', () => {
  it('streams generated logs through the metrics without holding them (a quarter of the million-event target)', async () => {
    const r = await bench(250_000);
    expect(r.events).toBeGreaterThanOrEqual(250_000);
    // One million events in under a minute on this machine: 4x this run must stay well inside it.
    expect(r.seconds * 4).toBeLessThan(60);
    // What the run holds, not the Jest worker's whole heap (other test files in the worker leave garbage in it).
    expect(r.heapGrowthMb).toBeLessThan(50);
    expect(r.report.orders).toBe(r.orders);
  }, 60_000);

  it('generates logs the metrics read like the workflow’s: every order finishes, is on hold, or was cancelled', () => {
    const r = processMetrics([...syntheticOrders({ events: 20_000, seed: 3 })].map((o) => o.entries));
    expect(Object.keys(r.ordersByFinalStage).sort()).toEqual(['CANCELLED', 'COMPLETED', 'ON_HOLD']);
    expect(r.waits.open).toBe(0);
    expect(r.bottleneck?.stage).toBe('IN_TRANSIT');
  });
});
