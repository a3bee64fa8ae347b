import { makeCorrelateEvent } from '../../lambdas/tasks/correlate-event';
import { World } from '../workflows/world';
import { customerTopics, drain, ledger, network, release } from './fault-world';

describe('customer notifications under notification-service faults', () => {
  it('sends each customer notification once when the notification service times out after acting', async () => {
    const world = await World.create(network({ notifications: { timeoutRate: 0.5 } }));
    try {
      const arn = await release(world, 'O-N');
      expect((await world.finish(arn)).status).toBe('SUCCEEDED');
      await drain(world);
      // Retries after a lost answer carry the same idempotency key, so the service sends once.
      for (const [topic, count] of Object.entries(customerTopics(world, 'O-N'))) expect([topic, count]).toEqual([topic, 1]);
    } finally {
      await world.close();
    }
  });

  it('still tells the customer about a routine milestone when the first notification attempt failed', async () => {
    const world = await World.create(network({ notifications: { serverErrorRate: 1 } }));
    try {
      await release(world, 'O-M');
      world.clock.pause();
      const correlate = makeCorrelateEvent(world.deps);
      const event = {
        id: 'bus-1',
        source: 'logistics.carrier',
        'detail-type': 'ShipmentMilestone',
        detail: { schemaVersion: '1', eventId: 'm-af-1', correlationId: 'O-M', occurredAt: new Date(world.clock.now()).toISOString(), producer: 'carrier', data: { orderId: 'O-M', shipmentId: 'SH-O-M', carrierId: 'C1', statusCode: 'AF' } },
      };
      // First delivery: the milestone is logged, the notification fails and so does the delivery.
      await expect(correlate(event, new Date(world.clock.now()).toISOString())).rejects.toThrow(/502 Bad Gateway/);
      // The bus retries once the service is back: the notification is sent then.
      const healthy = await World.create(network());
      const recovered = makeCorrelateEvent({ ...world.deps, systems: { ...world.deps.systems, notifications: healthy.deps.systems.notifications } });
      await recovered(event, new Date(world.clock.now()).toISOString());
      await healthy.close();
      expect((await ledger(world, 'O-M')).notification ?? []).toContain('milestone-AF');
    } finally {
      await world.close();
    }
  });
});
