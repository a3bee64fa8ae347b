import { siteQueueLength } from '../../lambdas/adapters/simulators/lateness';
import { buildExamples } from '../../lambdas/decisions/risk/features';
import { defaultDelayRiskScorer } from '../../lambdas/decisions/risk/model';
import { orderReleased } from '../support/orders';
import { quietNetwork } from './network';
import { World } from './world';

describe('delay-risk features from the workflow\'s own event log', () => {
  let world: World;
  afterEach(() => world?.close());

  it('rebuilds what the workflow knew when the carrier was confirmed, and labels the delayed order a miss', async () => {
    const base = quietNetwork();
    // Both orders go out on C1 (the routing guide's first); the first is scripted to be delayed.
    world = await World.create({ ...base, scripts: { 'O-LATE': { delayed: true }, 'O-OK': { delayed: false } } });
    const release = (orderId: string) =>
      world.release(
        orderReleased(orderId, {
          requestedShipDate: new Date(world.clock.now() + 24 * 3600_000).toISOString(),
          promisedDeliveryDate: new Date(world.clock.now() + 4 * 24 * 3600_000).toISOString(),
        }),
      );
    for (const orderId of ['O-LATE', 'O-OK']) expect((await world.finish(await release(orderId))).status).toBe('SUCCEEDED');

    const entries = [...(await world.deps.store.history('O-LATE')), ...(await world.deps.store.history('O-OK'))];
    const examples = new Map(buildExamples(entries).map((x) => [x.orderId, x]));
    const late = examples.get('O-LATE')!;
    const ok = examples.get('O-OK')!;
    expect(late).toMatchObject({ label: 1, deliveryLate: true, shipLate: false });
    expect(ok).toMatchObject({ label: 0 });
    const summary = (await world.deps.store.getOrder('O-OK'))!.summary;
    expect(ok.context).toMatchObject({
      customerPriority: summary.customerPriority,
      requestedShipDate: summary.requestedShipDate,
      siteId: summary.siteId,
      siteQueueLength: siteQueueLength(7, 'O-OK', summary.siteId),
      carrierId: 'C1',
      lane: `${summary.siteId}>${summary.destinationCountry}`,
    });
    // The orders ran one after the other: O-OK's carrier was confirmed after O-LATE's late delivery on the same lane.
    expect(ok.context.carrierLane).toMatchObject({ shipments: 1, late: 1, lastLate: true });
    // The store's running counters (what the decision step scores with) count the delay the same way.
    expect((await world.deps.store.laneStats(ok.context.lane!))['C1']).toMatchObject({ shipments: 2, late: 1 });
    expect(defaultDelayRiskScorer().score(ok.context).probability).toBeGreaterThan(defaultDelayRiskScorer().score({ ...ok.context, carrierLane: undefined }).probability);
  });
});
