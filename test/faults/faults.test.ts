import { World } from '../workflows/world';
import { customerTopics, drain, ledger, network, release, systemFailures } from './fault-world';

/**
 * Fault injection in the simulated partners (issue #5): one test per fault class, each failing if
 * the fault loses an order or doubles a side effect (counted from the FX# ledger and the event log).
 */
describe('fault injection in the simulated partners', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  const completed = async (w: World, orderId: string) => expect((await w.deps.store.getOrder(orderId))?.status).toBe('COMPLETED');
  const stageChanges = async (w: World, orderId: string, stage: string) =>
    (await w.deps.store.history(orderId)).filter((e) => e.type === 'STAGE_CHANGED' && e.stage === stage).length;

  it('retries transient 5xx from the WMS; the order completes with one reservation and one wave', async () => {
    world = await World.create(network({ wms: { serverErrorRate: 0.5 } }));
    const arn = await release(world, 'O-WMS-5XX');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await completed(world, 'O-WMS-5XX');
    const failures = await systemFailures(world, arn);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.join('\n')).toContain('502 Bad Gateway');
    const fx = await ledger(world, 'O-WMS-5XX');
    expect(fx.reservation).toHaveLength(1);
    expect(fx.wave).toHaveLength(1);
    expect(fx.pickup).toHaveLength(1);
    const waves = (await world.deps.store.history('O-WMS-5XX')).filter((e) => e.details?.eventType === 'WaveReleased');
    expect(waves).toHaveLength(1);
  });

  it('retries throttled (429) tenders with a retry-after note; one tender per carrier attempt', async () => {
    world = await World.create(network({ carrier: { throttleRate: 0.6, retryAfterSeconds: 20 } }));
    const arn = await release(world, 'O-CAR-429');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await completed(world, 'O-CAR-429');
    expect((await systemFailures(world, arn)).join('\n')).toContain('429 Too Many Requests, retry after 20s');
    const tenderSteps = (await world.statesEntered(arn)).filter((s) => s === 'Tender load to next carrier').length;
    const fx = await ledger(world, 'O-CAR-429');
    expect(fx.tender).toHaveLength(tenderSteps);
    expect(fx.tracking).toHaveLength(1);
    expect(await stageChanges(world, 'O-CAR-429', 'CARRIER_CONFIRMED')).toBe(1);
  });

  it('retries timeouts after the partner processed the call; one load, one invoice, one invoice event', async () => {
    world = await World.create(network({ tms: { timeoutRate: 0.5 }, finance: { timeoutRate: 0.3 }, wms: { timeoutRate: 0.4 } }));
    const arn = await release(world, 'O-TIMEOUTS');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await completed(world, 'O-TIMEOUTS');
    expect((await systemFailures(world, arn)).join('\n')).toContain('timed out waiting for the answer');
    await drain(world);
    const fx = await ledger(world, 'O-TIMEOUTS');
    expect(fx.invoice).toHaveLength(1);
    expect(fx.load).toHaveLength(1);
    expect(fx.wave).toHaveLength(1);
    const history = await world.deps.store.history('O-TIMEOUTS');
    expect(history.filter((e) => e.details?.eventType === 'InvoiceReleased')).toHaveLength(1);
    expect(history.filter((e) => e.details?.eventType === 'ShipConfirmed')).toHaveLength(1);
    expect(await stageChanges(world, 'O-TIMEOUTS', 'INVOICED')).toBe(1);
  });

  it('parks a step while the partner circuit breaker is open and resumes it after the outage, without a person', async () => {
    world = await World.create(network({ wms: { outages: [{ start: '2026-11-23T07:00:00Z', end: '2026-11-23T08:20:00Z' }] } }));
    const asks: unknown[] = [];
    world.people = (ask) => (asks.push(ask), undefined);
    const arn = await release(world, 'O-OUTAGE-PARK');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await completed(world, 'O-OUTAGE-PARK');
    expect(asks).toEqual([]);
    expect(await world.statesEntered(arn)).toEqual(expect.arrayContaining(['Park until the partner is back', 'Wait for the partner to recover', 'Resume failed step']));
    expect((await world.deps.store.getBreaker('wms', 'wms'))?.state).toMatchObject({ status: 'CLOSED', timesOpened: 1 });
    const fx = await ledger(world, 'O-OUTAGE-PARK');
    expect(fx.reservation).toHaveLength(1);
    expect(fx.wave).toHaveLength(1);
  });

  it('turns an outage longer than the parking (6 hours) into a SYSTEM_FAILURE for integration support; RETRY resumes the failed step', async () => {
    world = await World.create(network({ wms: { outages: [{ start: '2026-11-23T07:00:00Z', end: '2026-11-23T14:30:00Z' }] } }));
    const asks: Array<{ category: string; ownerTeam: string }> = [];
    world.people = (ask) => {
      asks.push(ask);
      return ask.category === 'SYSTEM_FAILURE' ? { resolution: 'RETRY' } : undefined;
    };
    const arn = await release(world, 'O-OUTAGE');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(asks).toEqual([expect.objectContaining({ category: 'SYSTEM_FAILURE', ownerTeam: 'integration-support' })]);
    const states = await world.statesEntered(arn);
    expect(states).toEqual(expect.arrayContaining(['Raise system exception', 'Resume failed step', 'Order delivered and invoiced']));
    expect((await systemFailures(world, arn)).join('\n')).toContain('outage 2026-11-23T07:00:00Z to 2026-11-23T14:30:00Z');
    await completed(world, 'O-OUTAGE');
    const fx = await ledger(world, 'O-OUTAGE');
    expect(fx.reservation).toHaveLength(1);
    expect(fx.wave).toHaveLength(1);
    expect(fx.invoice).toHaveLength(1);
  });

  it('holds the order with its SYSTEM_FAILURE open when nobody retries after an outage (accounted for, not lost)', async () => {
    world = await World.create(network({ finance: { outages: [{ start: '2026-11-01T00:00:00Z', end: '2026-12-31T00:00:00Z' }] } }));
    const arn = await release(world, 'O-OUTAGE-HOLD');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.deps.store.getOrder('O-OUTAGE-HOLD')).toMatchObject({ status: 'ON_HOLD' });
    const [open] = (await world.deps.store.openExceptions('integration-support')).filter((e) => e.orderId === 'O-OUTAGE-HOLD');
    expect(open).toMatchObject({ category: 'SYSTEM_FAILURE', status: 'OPEN' });
    expect((await ledger(world, 'O-OUTAGE-HOLD')).invoice).toBeUndefined();
  });

  it('adds slow answers to the scheduled time without losing the order', async () => {
    world = await World.create(network({ wms: { slowRate: 1, slowMinutes: [180, 180] }, carrier: { slowRate: 1, slowMinutes: [60, 60] } }));
    const arn = await release(world, 'O-SLOW');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await completed(world, 'O-SLOW');
    const history = await world.deps.store.history('O-SLOW');
    const tendered = history.find((e) => e.type === 'STAGE_CHANGED' && e.stage === 'TENDERED')!;
    const accepted = history.find((e) => e.details?.eventType === 'TenderAccepted')!;
    // responseMinutes 30 + 60 slow
    expect(Date.parse(accepted.at) - Date.parse(tendered.at)).toBe(90 * 60_000);
    expect((await ledger(world, 'O-SLOW')).invoice).toHaveLength(1);
  });

  it('suppresses duplicate carrier events: one tender answer delivered, one stage change, notifications once', async () => {
    world = await World.create(network({ carrier: { duplicateRate: 1 }, wms: { duplicateRate: 1 }, finance: { duplicateRate: 1 } }));
    const arn = await release(world, 'O-DUPES');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await drain(world);
    await completed(world, 'O-DUPES');
    const accepted = world.correlations.filter((c) => c.type === 'TenderAccepted');
    expect(accepted).toHaveLength(2);
    expect(accepted.filter((c) => c.result.status === 'DELIVERED')).toHaveLength(1);
    const pods = world.correlations.filter((c) => c.type === 'ProofOfDelivery');
    expect(pods).toHaveLength(2);
    expect(pods.filter((c) => c.result.status === 'DELIVERED')).toHaveLength(1);
    for (const stage of ['CARRIER_CONFIRMED', 'SHIPPED', 'DELIVERED', 'INVOICED', 'COMPLETED']) expect(await stageChanges(world, 'O-DUPES', stage)).toBe(1);
    for (const [topic, count] of Object.entries(customerTopics(world, 'O-DUPES'))) expect([topic, count]).toEqual([topic, 1]);
    expect(Object.keys(customerTopics(world, 'O-DUPES'))).toEqual(expect.arrayContaining(['SHIPPED', 'DELIVERED', 'AF']));
    const fx = await ledger(world, 'O-DUPES');
    expect(fx.invoice).toHaveLength(1);
    expect(fx.tender).toHaveLength(1);
  });

  it('does not lose an order whose carrier sends proof of delivery ahead of its milestones', async () => {
    world = await World.create(network({ carrier: { outOfOrderRate: 1 }, wms: { outOfOrderRate: 1 } }));
    const arn = await release(world, 'O-OOO');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await drain(world);
    await completed(world, 'O-OOO');
    const fx = await ledger(world, 'O-OOO');
    expect(fx.invoice).toHaveLength(1);
    expect(await stageChanges(world, 'O-OOO', 'DELIVERED')).toBe(1);
    expect(await stageChanges(world, 'O-OOO', 'COMPLETED')).toBe(1);
    expect(customerTopics(world, 'O-OOO').DELIVERED).toBe(1);
  });

  it('does not lose an order when proof of delivery arrives before ship confirmation', async () => {
    // The warehouse confirms the shipment 10 hours late; the carrier's POD (same event id as the
    // one it will send after tracking starts) arrives while the order still waits for the WMS.
    world = await World.create(network({ wms: { slowRate: 1, slowMinutes: [600, 600] } }));
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
    await completed(world, 'O-POD-FIRST');
    const states = await world.statesEntered(arn);
    expect(states.indexOf('Wait for ship confirmation')).toBeLessThan(states.indexOf('Follow shipment to delivery'));
    expect(await stageChanges(world, 'O-POD-FIRST', 'SHIPPED')).toBe(1);
    // The POD waited in the mailbox; the DELIVERED stage it marks is still recorded.
    expect(await stageChanges(world, 'O-POD-FIRST', 'DELIVERED')).toBe(1);
    expect((await ledger(world, 'O-POD-FIRST')).invoice).toHaveLength(1);
    expect(customerTopics(world, 'O-POD-FIRST').DELIVERED).toBe(1);
  });

  it('quarantines events for unknown orders with UNKNOWN_ORDER and completes the real order', async () => {
    world = await World.create(network({ wms: { unknownOrderRate: 1 }, carrier: { unknownOrderRate: 1 } }));
    const arn = await release(world, 'O-GHOSTS');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    await drain(world);
    await completed(world, 'O-GHOSTS');
    const quarantined = await world.deps.store.listQuarantine();
    expect(quarantined.length).toBeGreaterThan(0);
    for (const q of quarantined) {
      expect(q.code).toBe('UNKNOWN_ORDER');
      expect(JSON.stringify(q.event)).toContain('GHOST-O-GHOSTS');
    }
    expect(quarantined.map((q) => q.detailType)).toEqual(expect.arrayContaining(['WaveReleased', 'ShipConfirmed', 'TenderAccepted', 'ProofOfDelivery']));
    expect(await world.deps.store.getOrder('GHOST-O-GHOSTS')).toBeUndefined();
    expect((await ledger(world, 'O-GHOSTS')).invoice).toHaveLength(1);
  });

  it('records late events after the order finished, marked late, and changes nothing', async () => {
    world = await World.create(network({ carrier: { lateEventRate: 1 }, wms: { lateEventRate: 1 }, finance: { lateEventRate: 1 } }));
    const arn = await release(world, 'O-LATE-EVENTS');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    const before = await world.deps.store.getOrder('O-LATE-EVENTS');
    const logBefore = await world.deps.store.history('O-LATE-EVENTS');
    const topicsBefore = customerTopics(world, 'O-LATE-EVENTS');
    await drain(world);
    const after = await world.deps.store.getOrder('O-LATE-EVENTS');
    expect(after).toEqual(before);
    const added = (await world.deps.store.history('O-LATE-EVENTS')).filter((e) => !logBefore.some((b) => b.eventId === e.eventId));
    expect(added.length).toBeGreaterThan(0);
    expect(added.map((e) => e.details?.eventType)).toEqual(expect.arrayContaining(['ProofOfDelivery', 'ShipConfirmed', 'TenderAccepted', 'InvoiceReleased']));
    for (const e of added) {
      expect(e.details?.late).toBe(true);
      expect(e.type).not.toBe('STAGE_CHANGED');
    }
    expect(customerTopics(world, 'O-LATE-EVENTS')).toEqual(topicsBefore);
    const fx = await ledger(world, 'O-LATE-EVENTS');
    expect(fx.invoice).toHaveLength(1);
    expect(fx.tracking).toHaveLength(1);
  });
});
