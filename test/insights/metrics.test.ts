import { buildTimeline } from '../../lambdas/insights/order-timeline';
import { operationsSummary, percentile, processMetrics, ProcessMetrics, summarize } from '../../lambdas/insights/metrics';
import { handLogs, LogBuilder, orderA, orderB, orderC } from './hand-logs';

/*
 * Worked by hand (hours after T0; see hand-logs.ts):
 *
 * Stage times per order (entering a stage to entering the next; repeats merged):
 *   A: RELEASED 1, VALIDATED 1, ALLOCATED 1, WAVE_RELEASED 1, LOAD_PLANNED 1, TENDERED 1 (5-6), CARRIER_CONFIRMED 4 (6-10),
 *      SHIPPED 2 (10-12), IN_TRANSIT 18 (12-30), DELIVERED 2, INVOICED 1; end to end 33
 *   B: RELEASED 1, VALIDATED 1, REALLOCATED 1, WAVE_RELEASED 1, LOAD_PLANNED 1, TENDERED 7 (5-12, the re-tender at 9 stays in it),
 *      AWAITING_PLANNER 4 (12-16), CARRIER_CONFIRMED 6 (16-22), SHIPPED 28 (22-50), DELIVERED 3, INVOICED 1; end to end 54
 *   C: RELEASED 1, VALIDATED 2, BACKORDERED 4 (3-7), then ON_HOLD (open)
 *   D: RELEASED 1, VALIDATED 1, ALLOCATED 1, WAVE_RELEASED 1, then CANCELLED
 *   E: as A but IN_TRANSIT 30 (12-42); end to end 45
 * Waits (start-end, stage): A tender 5-6 TENDERED 1; ship 7-10 CARRIER_CONFIRMED 3; delivery 11-30 = SHIPPED 1 + IN_TRANSIT 18.
 *   B tender 5-9 (timed out) + 9-11 (rejected) TENDERED 6; decision 13-15 AWAITING_PLANNER 2; ship 17-22 CARRIER_CONFIRMED 5;
 *     delivery 23-31 (ended by the next wait after the delay) + 31-50 = SHIPPED 27.
 *   C decision 4-7 (ended by ON_HOLD) BACKORDERED 3.   E as A but delivery 11-42 = SHIPPED 1 + IN_TRANSIT 30.
 * Waiting per stage: TENDERED 1+6+1 = 8 of 9; CARRIER_CONFIRMED 3+5+3 = 11 of 14; SHIPPED 1+27+1 = 29 of 32;
 *   IN_TRANSIT 18+30 = 48 of 48; AWAITING_PLANNER 2 of 4; BACKORDERED 3 of 4. Total 101: bottleneck IN_TRANSIT, 48/101.
 * Variants: A and E share a path (2, median of 33 and 45 = 33 nearest-rank), B, C, D: 4 variants.
 */
describe('process metrics on hand-worked logs', () => {
  const report = processMetrics(handLogs());

  it('counts orders by final stage and the end-to-end cycle time of completed orders', () => {
    expect(report.orders).toBe(5);
    expect(report.ordersByFinalStage).toEqual({ COMPLETED: 3, ON_HOLD: 1, CANCELLED: 1 });
    expect(report.completed).toBe(3);
    expect(report.inProgress).toBe(1);
    expect(report.endToEndHours).toMatchObject({ count: 3, p50: 45, p90: 54, p99: 54, max: 54, mean: 44 });
  });

  it('measures cycle time per stage, merging a re-tender into one visit', () => {
    const stage = (s: string) => report.stages.find((x) => x.stage === s)!;
    expect(stage('VALIDATED').cycleHours).toMatchObject({ count: 5, p50: 1, p90: 2, p99: 2 });
    expect(stage('TENDERED').cycleHours).toMatchObject({ count: 3, p50: 1, p90: 7 });
    expect(stage('CARRIER_CONFIRMED').cycleHours).toMatchObject({ count: 3, p50: 4, p90: 6 });
    expect(stage('SHIPPED').cycleHours).toMatchObject({ count: 3, p50: 2, p90: 28 });
    expect(stage('IN_TRANSIT').cycleHours).toMatchObject({ count: 2, p50: 18, p90: 30 });
    expect(stage('BACKORDERED').cycleHours).toMatchObject({ count: 1, p50: 4 });
    // The on-hold order is in ON_HOLD, not yet measured there; terminal stages have no duration.
    expect(stage('ON_HOLD')).toMatchObject({ orders: 1, cycleHours: { count: 0 } });
    expect(report.stages.map((s) => s.stage)).toEqual([
      'RELEASED', 'VALIDATED', 'ON_HOLD', 'ALLOCATED', 'REALLOCATED', 'BACKORDERED', 'WAVE_RELEASED', 'LOAD_PLANNED', 'TENDERED',
      'CARRIER_CONFIRMED', 'AWAITING_PLANNER', 'SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'INVOICED', 'COMPLETED', 'CANCELLED',
    ]);
  });

  it('splits each stage into waiting and working time and names the bottleneck', () => {
    const w = Object.fromEntries(report.stages.map((s) => [s.stage, [s.waitingHours, s.workingHours]]));
    expect(w.TENDERED).toEqual([8, 1]);
    expect(w.CARRIER_CONFIRMED).toEqual([11, 3]);
    expect(w.SHIPPED).toEqual([29, 3]);
    expect(w.IN_TRANSIT).toEqual([48, 0]);
    expect(w.AWAITING_PLANNER).toEqual([2, 2]);
    expect(w.BACKORDERED).toEqual([3, 1]);
    expect(w.VALIDATED).toEqual([0, 6]);
    expect(report.bottleneck).toEqual({ stage: 'IN_TRANSIT', waitingHours: 48, share: 48 / 101 });
    expect(report.waits).toMatchObject({ total: 13, open: 0 });
    expect(report.waits.byKind.TENDER).toMatchObject({ count: 4, p50: 1, max: 4 });
  });

  it('rates exceptions by category and by source system, and ages them', () => {
    const ex = report.exceptions;
    expect(ex).toMatchObject({ total: 3, ordersWithException: 3, orderRate: 0.6 });
    expect(ex.byCategory.map((r) => [r.key, r.count, r.perOrder])).toEqual([['CARRIER_CAPACITY', 1, 0.2], ['STOCK_SHORT', 1, 0.2], ['SYSTEM_FAILURE', 1, 0.2]]);
    expect(ex.bySourceSystem.map((r) => [r.key, r.count])).toEqual([['carrier', 1], ['orchestrator', 1], ['wms', 1]]);
    // X-B decided after 3 h (due after 4 h); X-D closed with its cancelled order; X-C open since 3 h, due at 7 h, aged at the last event (54 h).
    expect(ex.aging).toMatchObject({ resolved: 1, resolvedWithinSla: 1, resolvedLate: 0, closedWithOrder: 1, open: 1, openOverdue: 1 });
    expect(ex.aging.hoursToResolve).toMatchObject({ count: 1, p50: 3 });
    expect(ex.aging.openAgeBuckets).toEqual({ '< 1 h': 0, '1-4 h': 0, '4-24 h': 0, '1-3 d': 1, '> 3 d': 0 });
    expect(ex.aging.oldestOpen).toEqual({ exceptionId: 'X-C', orderId: 'C', category: 'STOCK_SHORT', ageHours: 51, overdueHours: 47 });
  });

  it('measures approval latency by the role that decided', () => {
    expect(report.approvals).toEqual([{ role: 'transport-planner', requested: 1, decided: 1, pending: 0, latencyHours: expect.objectContaining({ count: 1, p50: 3 }) }]);
    expect(report.escalations).toBe(1);
  });

  it('counts rework: re-tenders and reallocations', () => {
    expect(report.rework).toEqual({ reTenders: 1, ordersReTendered: 1, reallocations: 1, ordersReallocated: 1, promiseRecomputations: 1, plannerBookings: 1, reworkRate: 0.2 }); // B alone was re-tendered and reallocated: 1 order of 5
  });

  it('rates SLA breaches per stage (orders that entered the stage)', () => {
    const stage = (s: string) => report.stages.find((x) => x.stage === s)!;
    expect(stage('TENDERED')).toMatchObject({ orders: 3, ordersBreachingSla: 1, slaBreachRate: 1 / 3 });
    expect(stage('BACKORDERED')).toMatchObject({ orders: 1, ordersBreachingSla: 1, slaBreachRate: 1 });
    expect(report.slaBreaches).toEqual({ total: 2, ordersAffected: 2, bySla: { 'tender-response': 1, 'STOCK_SHORT-decision': 1 }, byStage: { TENDERED: 1, BACKORDERED: 1 } });
  });

  it('rates on-time shipment and delivery, and the invoice lag after proof of delivery', () => {
    // Ship-by 20 h: A 10, E 10 on time, B 22 late. Deliver-by 40 h (first promise): A 30 on time, E 42 and B 50 late.
    expect(report.onTimeShipment).toEqual({ measured: 3, onTime: 2, rate: 2 / 3 });
    expect(report.onTimeDelivery).toEqual({ measured: 3, onTime: 1, rate: 1 / 3 });
    expect(report.invoiceLagHours).toMatchObject({ count: 3, p50: 2, max: 3 });
  });

  it('finds the process variants with their frequency and median duration', () => {
    expect(report.variantCount).toBe(4);
    expect(report.variants[0]).toEqual({
      path: ['RELEASED', 'VALIDATED', 'ALLOCATED', 'WAVE_RELEASED', 'LOAD_PLANNED', 'TENDERED', 'CARRIER_CONFIRMED', 'SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'INVOICED', 'COMPLETED'],
      count: 2, share: 0.4, medianHours: 33, inProgress: 0,
    });
    expect(report.variants.slice(1).map((v) => [v.path.at(-1), v.count, v.medianHours, v.inProgress])).toEqual([
      ['CANCELLED', 1, 4, 0],
      ['ON_HOLD', 1, 7, 1],
      ['COMPLETED', 1, 54, 0],
    ]);
  });

  it('gives the same answer whatever order the entries and the orders come in', () => {
    const shuffled = new ProcessMetrics();
    for (const log of [...handLogs().values()].reverse()) shuffled.add([...log].reverse());
    expect(shuffled.result()).toEqual(report);
  });

  it('orders stage changes of the same instant by their fromStage chain', () => {
    const b = new LogBuilder('T');
    b.stageTo(0, 'RELEASED').stageTo(1, 'VALIDATED').stageTo(1, 'ALLOCATED').stageTo(1, 'WAVE_RELEASED').stageTo(2, 'COMPLETED');
    const tl = buildTimeline([b.entries[0]!, b.entries[3]!, b.entries[2]!, b.entries[1]!, b.entries[4]!]);
    expect(tl.visits.map((v) => v.stage)).toEqual(['RELEASED', 'VALIDATED', 'ALLOCATED', 'WAVE_RELEASED', 'COMPLETED']);
  });

  it('treats a wait with no answer yet as open, not as waiting time', () => {
    const b = new LogBuilder('W');
    b.stageTo(0, 'RELEASED').stageTo(1, 'TENDERED').wait(1, 'TENDER', 'TENDER#W-1', 5);
    const r = processMetrics([b.entries]);
    expect(r.waits).toMatchObject({ total: 1, open: 1 });
    expect(r.bottleneck).toBeUndefined();
    expect(r.inProgress).toBe(1);
  });

  it('uses the promise written at release when the log has it', () => {
    const log = orderA('P').map((e) => (e.type === 'STAGE_CHANGED' && e.stage === 'RELEASED' ? { ...e, details: { requestedShipDate: '2026-01-01T08:00:00.000Z', promisedDeliveryDate: '2026-01-02T12:00:00.000Z' } } : e));
    const r = processMetrics([log]);
    expect(r.onTimeShipment).toEqual({ measured: 1, onTime: 0, rate: 0 }); // shipped at 10 h, requested by 8 h
    expect(r.onTimeDelivery).toEqual({ measured: 1, onTime: 1, rate: 1 }); // delivered at 30 h, promised 36 h
  });

  it('keeps the operations summary of the npm start scenario', () => {
    const logs = handLogs();
    const s = operationsSummary(logs, (id) => (id === 'C' ? 'ON_HOLD' : id === 'D' ? 'CANCELLED' : 'COMPLETED'));
    expect(s).toMatchObject({
      orders: 5,
      byFinalStage: { COMPLETED: 3, ON_HOLD: 1, CANCELLED: 1 },
      exceptionsByCategory: { CARRIER_CAPACITY: 1, STOCK_SHORT: 1, SYSTEM_FAILURE: 1 },
      exceptionsByOwner: { 'transport-planning': 1, procurement: 1, 'integration-support': 1 },
      slaBreaches: { 'tender-response': 1, 'STOCK_SHORT-decision': 1 },
      reTenders: 1, reallocations: 1, escalations: 1, delays: 1,
    });
    expect(s.stageCycleHours.TENDERED).toMatchObject({ p50: 1, p95: 7 });
    expect(s.endToEndHours).toMatchObject({ p50: 45, p95: 54 });
  });

  it('computes nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 90)).toBe(4);
    expect(percentile([], 50)).toBe(0);
    expect(summarize([3, 1, 2])).toMatchObject({ count: 3, p50: 2, p99: 3, mean: 2 });
  });

  it('reads a single order on its own', () => {
    expect(processMetrics([orderB()]).stages.find((s) => s.stage === 'SHIPPED')).toMatchObject({ waitingHours: 27, workingHours: 1 });
    expect(processMetrics([orderC()]).exceptions.aging.oldestOpen).toMatchObject({ ageHours: 4, overdueHours: 0 });
  });
});
