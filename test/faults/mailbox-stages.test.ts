/**
 * A proof of delivery that arrives before its DELIVERY wait is kept in the mailbox and delivered
 * when the wait registers; the stage it marks (DELIVERED) must still be recorded at the partner's time.
 */
import { World } from '../workflows/world';
import { drain, network, release } from './fault-world';

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
