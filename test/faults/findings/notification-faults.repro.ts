/**
 * Findings (fault injection, issue #5) on customer notifications, kept out of the suite
 * (`*.repro.ts` is not in jest's testMatch). Run with:
 *   npx jest --testMatch '**\/test/faults/findings/*.repro.ts' --maxWorkers=1
 */
import { World } from '../../workflows/world';
import { customerTopics, drain, ledger, network, release } from '../fault-world';

it('sends each customer notification once when the notification service times out (double side effect)', async () => {
  const world = await World.create(network({ notifications: { timeoutRate: 0.5 } }));
  try {
    const arn = await release(world, 'O-N');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await drain(world);
    // The FX# ledger has one entry per topic, but the port was called again after each lost answer:
    // seed 7 sends SHIPPED twice and DELIVERED three times. NotificationPort has no idempotency key.
    for (const [topic, count] of Object.entries(customerTopics(world, 'O-N'))) expect([topic, count]).toEqual([topic, 1]);
  } finally {
    world.clock.pause();
    await world.close();
  }
});

it('still tells the customer about a routine milestone when the first notification attempt fails (lost side effect)', async () => {
  const world = await World.create(network({ notifications: { serverErrorRate: 1 } }));
  try {
    const arn = await release(world, 'O-M');
    world.clock.pause();
    // The correlator appends the milestone to the log, then the notification fails (5xx) and the
    // event's delivery fails; the bus redelivers it, but `firstTime` is now false, so the
    // notification is never attempted again (correlate-event.ts, ROUTINE branch).
    const milestone = { source: 'logistics.carrier', detailType: 'ShipmentMilestone', detail: { schemaVersion: '1', eventId: 'm-af-1', correlationId: 'O-M', occurredAt: new Date(world.clock.now()).toISOString(), producer: 'carrier', data: { orderId: 'O-M', shipmentId: 'SH-O-M', carrierId: 'C1', statusCode: 'AF' } } };
    void arn;
    await expect(world.deliver(milestone)).rejects.toThrow(/502 Bad Gateway/);
    // The bus's retry should attempt the notification again (and fail again here); it resolves
    // instead with { status: 'RECORDED', duplicate: true } and the customer is never told.
    await expect(world.deliver(milestone)).rejects.toThrow(/502 Bad Gateway/);
    expect((await ledger(world, 'O-M')).notification ?? []).not.toContain('milestone-AF');
  } finally {
    await world.close();
  }
});
