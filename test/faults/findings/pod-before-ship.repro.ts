/**
 * Finding (fault injection, issue #5), kept out of the suite (`*.repro.ts` is not in jest's testMatch)
 * until lambdas/tasks is fixed. Run it with:
 *   npx jest --testMatch '**\/test/faults/findings/*.repro.ts' --maxWorkers=1
 *
 * A proof of delivery that arrives before its DELIVERY wait is kept in the mailbox and delivered by
 * the registrar (Follow shipment to delivery); the order completes with one invoice, but the
 * correlator's `advance(..., 'DELIVERED')` only runs when the correlator itself delivers, so the
 * event log never records the DELIVERED stage (SHIPPED -> INVOICED -> COMPLETED). The same applies
 * to any answer delivered from the mailbox (ShipConfirmed -> SHIPPED, TenderAccepted -> CARRIER_CONFIRMED).
 */
import { World } from '../../workflows/world';
import { drain, network, release } from '../fault-world';

it('records the DELIVERED stage when proof of delivery arrived before ship confirmation', async () => {
  const world = await World.create(network({ wms: { slowRate: 1, slowMinutes: [600, 600] } }));
  try {
    const arn = await release(world, 'O-POD-FIRST');
    const at = world.clock.now() + 6 * 3600_000;
    world.schedule(
      {
        source: 'logistics.carrier',
        detailType: 'ProofOfDelivery',
        detail: { schemaVersion: '1', eventId: 'car-pod-SH-O-POD-FIRST', correlationId: 'O-POD-FIRST', occurredAt: new Date(at).toISOString(), producer: 'carrier-simulator', data: { orderId: 'O-POD-FIRST', shipmentId: 'SH-O-POD-FIRST', carrierId: 'C1', deliveredAt: new Date(at).toISOString(), signedBy: 'Receiving dock' } },
      },
      at,
    );
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await drain(world);
    const stages = (await world.deps.store.history('O-POD-FIRST')).filter((e) => e.type === 'STAGE_CHANGED').map((e) => e.stage);
    expect(stages).toContain('DELIVERED'); // fails: [..., 'SHIPPED', 'INVOICED', 'COMPLETED']
  } finally {
    world.clock.pause();
    await world.close();
  }
});
