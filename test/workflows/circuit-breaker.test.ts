import { orderReleased } from '../support/orders';
import { quietNetwork } from './network';
import { World } from './world';

const iso = (ms: number) => new Date(ms).toISOString();

describe('a carrier that is down (circuit breaker per partner)', () => {
  let world: World;
  afterEach(() => world?.close());

  it('skips the carrier while its breaker is open and still completes every order, with no order lost and no double tender', async () => {
    const start = Date.parse('2026-11-23T08:00:00Z');
    // C1, the cheapest carrier on the lane, is down all day.
    world = await World.create(quietNetwork({ faults: { carrier: { outages: [{ start: iso(start), end: iso(start + 12 * 3600_000), partnerId: 'C1' }] } } as never }));
    const orderIds = ['O-CB-1', 'O-CB-2', 'O-CB-3'];
    // Releases an hour apart: the first order meets the outage, the others meet the open breaker.
    const released = orderIds.map(
      (orderId, i) =>
        new Promise<string>((resolve, reject) =>
          world.clock.setTimer(start + i * 3600_000, () => {
            const now = world.clock.now();
            world.release(orderReleased(orderId, { requestedShipDate: iso(now + 24 * 3600_000), promisedDeliveryDate: iso(now + 4 * 24 * 3600_000) })).then(resolve, reject);
          }),
        ),
    );
    const arns = await Promise.all(released);
    const results = await Promise.all(arns.map((arn) => world.finish(arn)));
    expect(results.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);

    for (const orderId of orderIds) {
      expect(await world.deps.store.getOrder(orderId)).toMatchObject({ stage: 'COMPLETED', status: 'COMPLETED', carrierId: 'C2' });
      const history = await world.deps.store.history(orderId);
      const skips = history.filter((e) => e.type === 'DECISION' && e.details?.decision === 'SKIP_CARRIER_CIRCUIT_OPEN');
      expect(skips).toEqual([expect.objectContaining({ carrierId: 'C1', details: expect.objectContaining({ reason: expect.stringContaining('carrier C1 is down') }) })]);
      // One tender answered per order: C2 was tendered once, C1 never reached.
      const answers = world.correlations.filter((c) => ['TenderAccepted', 'TenderRejected'].includes(c.type) && JSON.stringify(c.result).includes(orderId));
      expect(answers).toHaveLength(1);
    }
    expect(await world.deps.store.openExceptions()).toEqual([]);
    const breaker = await world.deps.store.getBreaker('carrier', 'C1');
    // Opened by the first order's failures, re-opened by the failed probes of the next two (15 minutes' cool-down).
    expect(breaker?.state).toMatchObject({ timesOpened: 3, lastError: expect.stringContaining('outage') });
    expect(await world.deps.store.getBreaker('carrier', 'C2')).toBeUndefined();
  });
});
