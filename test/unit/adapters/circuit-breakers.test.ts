import { withCircuitBreakers } from '../../../lambdas/adapters/circuit-breakers';
import { createSimulatedSystems } from '../../../lambdas/adapters/simulators/simulators';
import { simulationProfile } from '../../../lambdas/adapters/simulators/profile';
import { onFailure, type BreakerPolicy } from '../../../lambdas/domain/circuit-breaker';
import { SystemUnavailable } from '../../../lambdas/domain/errors';
import { updateBreaker } from '../../../lambdas/adapters/circuit-breakers';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';

const policy: BreakerPolicy = { failureThreshold: 3, windowSeconds: 600, coolDownSeconds: 900, probeTimeoutSeconds: 300 };
const t = (minutes: number) => new Date(Date.parse('2026-11-23T08:00:00Z') + minutes * 60_000).toISOString();

describe('circuit breakers on DynamoDB (dynalite)', () => {
  let dynamo: LocalDynamo;
  beforeEach(async () => {
    dynamo = await startDynamo();
  });
  afterEach(() => dynamo.close());

  it('counts concurrent failures of one partner without losing any (conditional writes, no read-modify-write race)', async () => {
    const big: BreakerPolicy = { ...policy, failureThreshold: 100 };
    await Promise.all(Array.from({ length: 6 }, () => updateBreaker(dynamo.store, 'erp', 'erp', t(0), (s) => onFailure(s, t(0), 'erp: 503', big))));
    const record = await dynamo.store.getBreaker('erp', 'erp');
    expect(record?.state).toMatchObject({ status: 'CLOSED', failures: 6 });
    expect(record?.version).toBe(6);
  });

  it('opens one carrier after repeated outages, refuses its calls with PartnerCircuitOpen, and leaves the other carriers alone', async () => {
    const profile = simulationProfile.parse({ seed: 1, faults: { carrier: { outages: [{ start: t(0), end: t(60), partnerId: 'DHLF' }] } } });
    const systems = withCircuitBreakers(createSimulatedSystems(profile, { schedule: async () => {} }), dynamo.store, policy);
    const tender = (carrierId: string, at: string, n = 1) =>
      systems.carrier.tender({ tenderId: `T-${carrierId}-${n}`, orderId: `O-${n}`, loadId: 'L', carrierId, lane: 'DC-HAM>DE', pickupBy: t(600), at });
    for (let i = 0; i < 3; i++) await expect(tender('DHLF', t(1), i)).rejects.toMatchObject({ name: 'SystemUnavailable' });
    await expect(tender('DHLF', t(2))).rejects.toMatchObject({ name: 'PartnerCircuitOpen', message: expect.stringContaining('DHLF') });
    await expect(tender('DBSK', t(2))).resolves.toBeUndefined();
    const breakers = await dynamo.store.listBreakers();
    expect(breakers.map((b) => [b.partnerId, b.state.status])).toEqual([['DHLF', 'OPEN']]);
  });

  it('keeps a partner with a steady error rate closed: a success ends a run of failures, stored for every container', async () => {
    // Every third tender to DHLF times out (a busy carrier, working): the run of failures never reaches 3.
    const profile = simulationProfile.parse({ seed: 1, faults: { carrier: { timeoutRate: 0 } } });
    const inner = createSimulatedSystems(profile, { schedule: async () => {} });
    let call = 0;
    const flaky = { ...inner, carrier: { ...inner.carrier, tender: async (r: Parameters<typeof inner.carrier.tender>[0]) => {
      if (++call % 3 === 0) throw new SystemUnavailable('carrier', 'DHLF timed out waiting for the answer');
      return inner.carrier.tender(r);
    } } };
    const systems = withCircuitBreakers(flaky, dynamo.store, policy, { rememberClosedMs: 0 });
    const results = [];
    for (let i = 0; i < 29; i++) {
      results.push(await systems.carrier.tender({ tenderId: `T-${i}`, orderId: `O-${i}`, loadId: 'L', carrierId: 'DHLF', lane: 'DC-HAM>DE', pickupBy: t(600), at: t(i) }).then(() => 'ok', (e: Error) => e.name));
    }
    expect(results.filter((r) => r === 'SystemUnavailable')).toHaveLength(9);
    expect(results).not.toContain('PartnerCircuitOpen');
    expect((await dynamo.store.getBreaker('carrier', 'DHLF'))?.state).toMatchObject({ status: 'CLOSED', failures: 0, timesOpened: 0 });
  });

  it('reads a closed breaker once per rememberClosedMs, and refuses calls once a breaker opened elsewhere is read again', async () => {
    const profile = simulationProfile.parse({ seed: 1 });
    let reads = 0;
    const counting = {
      getBreaker: (system: string, partnerId: string) => {
        reads++;
        return dynamo.store.getBreaker(system, partnerId);
      },
      saveBreaker: dynamo.store.saveBreaker.bind(dynamo.store),
    };
    let now = 0;
    const systems = withCircuitBreakers(createSimulatedSystems(profile, { schedule: async () => {} }), counting, policy, { rememberClosedMs: 1000, now: () => now });
    const order = { orderId: 'O-1', weightKg: 100 } as never;
    await systems.tms.planLoad({ order, lane: 'L', at: t(0) });
    await systems.tms.planLoad({ order, lane: 'L', at: t(1) });
    expect(reads).toBe(1);
    // Another container opens the breaker: this one sees it once its memory of "closed" has lapsed.
    const open = { status: 'OPEN' as const, failures: 0, clock: t(1), openedAt: t(1), openUntil: t(60), lastError: 'tms: 503', timesOpened: 1 };
    expect(await dynamo.store.saveBreaker('tms', 'tms', open, 0)).toBe(true);
    await expect(systems.tms.planLoad({ order, lane: 'L', at: t(2) })).resolves.toBeDefined();
    now = 1000;
    await expect(systems.tms.planLoad({ order, lane: 'L', at: t(3) })).rejects.toMatchObject({ name: 'PartnerCircuitOpen' });
    expect(reads).toBe(2);
  });

  it('closes again when the probe after the cool-down succeeds (the outage is over)', async () => {
    const profile = simulationProfile.parse({ seed: 1, faults: { tms: { outages: [{ start: t(0), end: t(10) }] } } });
    const systems = withCircuitBreakers(createSimulatedSystems(profile, { schedule: async () => {} }), dynamo.store, policy);
    const order = { orderId: 'O-1', weightKg: 100 } as never;
    for (let i = 0; i < 3; i++) await expect(systems.tms.planLoad({ order, lane: 'L', at: t(i) })).rejects.toMatchObject({ name: 'SystemUnavailable' });
    await expect(systems.tms.planLoad({ order, lane: 'L', at: t(5) })).rejects.toMatchObject({ name: 'PartnerCircuitOpen' });
    await expect(systems.tms.planLoad({ order, lane: 'L', at: t(20) })).resolves.toMatchObject({ loadId: 'LD-O-1' });
    expect((await dynamo.store.getBreaker('tms', 'tms'))?.state).toMatchObject({ status: 'CLOSED', timesOpened: 1 });
  });
});
