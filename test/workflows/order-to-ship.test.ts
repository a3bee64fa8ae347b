import { orderReleased } from '../support/orders';
import { quietNetwork } from './network';
import { World } from './world';

const network = quietNetwork;

const release = (world: World, orderId: string, overrides = {}) =>
  world.release({
    ...orderReleased(orderId, {
      requestedShipDate: new Date(world.clock.now() + 24 * 3600_000).toISOString(),
      promisedDeliveryDate: new Date(world.clock.now() + 4 * 24 * 3600_000).toISOString(),
    }),
    ...overrides,
  });

describe('order-to-ship state machine on the local engine', () => {
  let world: World;
  afterEach(() => world?.close());

  it('takes a released order through wave, load, tender, shipment and proof of delivery to an invoice', async () => {
    world = await World.create(network());
    const arn = await release(world, 'O-HAPPY');
    const result = await world.finish(arn);
    expect(result.status).toBe('SUCCEEDED');
    const order = await world.deps.store.getOrder('O-HAPPY');
    expect(order).toMatchObject({ stage: 'COMPLETED', status: 'COMPLETED', carrierId: 'C1' });
    expect(await world.statesEntered(arn)).toEqual([
      'Start or resume the order?',
      'Record order release',
      'Validate order data',
      'Is the order data complete?',
      'Check stock at assigned site',
      'Is stock available at the site?',
      'Release pick wave',
      'Plan the load',
      'Tender load to next carrier',
      'Did the carrier accept?',
      'Wait for ship confirmation',
      'Notify customer: shipped',
      'Follow shipment to delivery',
      'What did the carrier report?',
      'Notify customer: delivered',
      'Release invoice',
      'Record order completed',
      'Order delivered and invoiced',
    ]);
    const stages = (await world.deps.store.history('O-HAPPY')).filter((e) => e.type === 'STAGE_CHANGED').map((e) => e.stage);
    expect(stages).toEqual(expect.arrayContaining(['RELEASED', 'VALIDATED', 'ALLOCATED', 'WAVE_RELEASED', 'LOAD_PLANNED', 'TENDERED', 'CARRIER_CONFIRMED', 'SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'INVOICED', 'COMPLETED']));
    expect(world.notifications.filter((n) => n.to === 'customer:CUST-1').map((n) => n.topic)).toEqual(expect.arrayContaining(['SHIPPED', 'DELIVERED', 'AF']));
  });

  it('reallocates an order short at its assigned site to the closest site that can ship it', async () => {
    world = await World.create(network({ sites: [
      { siteId: 'DC-HAM', country: 'DE', stockShortRate: 1, distanceKm: { DE: 300 } },
      { siteId: 'DC-LYS', country: 'FR', stockShortRate: 0, distanceKm: { DE: 700 } },
      { siteId: 'DC-WAW', country: 'PL', stockShortRate: 0, distanceKm: { DE: 600 } },
    ] }));
    const arn = await release(world, 'O-REALLOC');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.statesEntered(arn)).toContain('Find stock at another site');
    const order = await world.deps.store.getOrder('O-REALLOC');
    expect(order?.summary.siteId).toBe('DC-WAW');
    expect(order?.stage).toBe('COMPLETED');
  });

  it('raises a backorder owned by procurement, tells customer service, and holds the order when nobody decides in time', async () => {
    world = await World.create(network({ sites: [
      { siteId: 'DC-HAM', country: 'DE', stockShortRate: 1, distanceKm: { DE: 300 } },
      { siteId: 'DC-LYS', country: 'FR', stockShortRate: 1, distanceKm: { DE: 700 } },
    ] }));
    const arn = await release(world, 'O-BACKORDER');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    const [exception] = (await world.deps.store.openExceptions('procurement')).filter((e) => e.orderId === 'O-BACKORDER');
    expect(exception).toMatchObject({ category: 'STOCK_SHORT', ownerTeam: 'procurement', status: 'OPEN' });
    expect(world.notifications.map((n) => n.to)).toEqual(expect.arrayContaining(['team:procurement', 'team:customer-service']));
    expect(await world.deps.store.getOrder('O-BACKORDER')).toMatchObject({ status: 'ON_HOLD', stage: 'ON_HOLD' });
    expect(await world.statesEntered(arn)).toEqual(expect.arrayContaining(['Raise backorder exception', 'Wait for decision by exception owner', 'Put order on hold']));
  });

  it('re-tenders to the next ranked carrier when the first rejects', async () => {
    const base = network();
    world = await World.create({ ...base, carriers: base.carriers!.map((c) => (c.carrierId === 'C1' ? { ...c, acceptanceRate: 0 } : c)) });
    const arn = await release(world, 'O-RETENDER');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect((await world.statesEntered(arn)).filter((s) => s === 'Tender load to next carrier')).toHaveLength(2);
    expect(await world.deps.store.getOrder('O-RETENDER')).toMatchObject({ carrierId: 'C2', stage: 'COMPLETED' });
    const decisions = (await world.deps.store.history('O-RETENDER')).filter((e) => e.type === 'DECISION').map((e) => e.details?.decision);
    expect(decisions).toContain('RE_TENDER');
  });

  it('escalates to a planner when every carrier rejects, and books the carrier the planner approves', async () => {
    const base = network();
    world = await World.create({ ...base, carriers: base.carriers!.map((c) => ({ ...c, acceptanceRate: 0 })) });
    world.people = (ask) => (ask.category === 'CARRIER_CAPACITY' ? { resolution: 'APPROVE_ALTERNATE_CARRIER', extra: { carrierId: 'C4' } } : undefined);
    const arn = await release(world, 'O-PLANNER');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    const states = await world.statesEntered(arn);
    expect(states.filter((s) => s === 'Tender load to next carrier')).toHaveLength(3);
    expect(states).toEqual(expect.arrayContaining(['Escalate to transport planner', 'Book carrier chosen by planner']));
    expect(world.published.map((e) => e.detailType)).toContain('ApprovalRequested');
    expect(await world.deps.store.getOrder('O-PLANNER')).toMatchObject({ carrierId: 'C4', stage: 'COMPLETED' });
  });

  it('books an expedited service when the planner chooses to expedite', async () => {
    const base = network();
    world = await World.create({ ...base, carriers: base.carriers!.map((c) => ({ ...c, acceptanceRate: 0 })) });
    world.people = () => ({ resolution: 'EXPEDITE' });
    const arn = await release(world, 'O-EXPEDITE');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.statesEntered(arn)).toContain('Book expedited service');
    expect((await world.deps.store.getOrder('O-EXPEDITE'))?.stage).toBe('COMPLETED');
  });

  it('withdraws a tender the carrier leaves unanswered past the tender SLA and tenders the next carrier', async () => {
    const base = network();
    world = await World.create({ ...base, carriers: base.carriers!.map((c) => (c.carrierId === 'C1' ? { ...c, silenceRate: 1 } : c)) });
    const arn = await release(world, 'O-TIMEOUT');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.statesEntered(arn)).toContain('Withdraw unanswered tender');
    const history = await world.deps.store.history('O-TIMEOUT');
    expect(history.some((e) => e.type === 'SLA_BREACHED' && e.details?.sla === 'tender-response')).toBe(true);
    expect(await world.deps.store.getOrder('O-TIMEOUT')).toMatchObject({ carrierId: 'C2', stage: 'COMPLETED' });
  });

  it('compensates a cancellation that arrives while a tender is out, and ends cleanly', async () => {
    const base = network();
    world = await World.create({ ...base, carriers: base.carriers!.map((c) => ({ ...c, silenceRate: 1 })) });
    const arn = await release(world, 'O-CANCEL');
    world.schedule(
      {
        source: 'logistics.erp',
        detailType: 'OrderCancelled',
        detail: { schemaVersion: '1', eventId: 'cancel-1', correlationId: 'O-CANCEL', occurredAt: new Date(world.clock.now() + 3600_000).toISOString(), producer: 'erp', data: { orderId: 'O-CANCEL', reason: 'Customer changed their mind', cancelledBy: { type: 'person', id: 'cs-7' } } },
      },
      world.clock.now() + 3600_000,
    );
    const result = await world.finish(arn);
    expect(result.status).toBe('SUCCEEDED');
    expect(await world.statesEntered(arn)).toEqual(expect.arrayContaining(['Cancel order', 'Order cancelled']));
    expect(await world.deps.store.getOrder('O-CANCEL')).toMatchObject({ status: 'CANCELLED', stage: 'CANCELLED' });
    const compensated = (await world.deps.store.history('O-CANCEL')).find((e) => e.details?.decision === 'CANCELLED')?.details?.compensated;
    expect(compensated).toEqual(['reservation released', 'tender O-CANCEL-T1 cancelled']);
  });

  it('recomputes the promised date after a delay milestone, tells customer service, and still delivers', async () => {
    const base = network();
    world = await World.create({ ...base, carriers: base.carriers!.map((c) => ({ ...c, delayRate: 1 })) });
    const arn = await release(world, 'O-DELAY');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.statesEntered(arn)).toContain('Update promised delivery date');
    const decision = (await world.deps.store.history('O-DELAY')).find((e) => e.details?.decision === 'PROMISE_RECOMPUTED');
    expect(Date.parse(String(decision?.details?.to))).toBeGreaterThan(Date.parse(String(decision?.details?.from)));
    expect(world.notifications.some((n) => n.to === 'team:customer-service' && n.topic.includes('delayed'))).toBe(true);
    expect((await world.deps.store.getOrder('O-DELAY'))?.stage).toBe('COMPLETED');
  });

  it('routes bad order data to customer service as an exception instead of failing, and cancels on their decision', async () => {
    world = await World.create(network());
    world.people = (ask) => (ask.category === 'DATA_QUALITY' ? { resolution: 'CANCEL' } : undefined);
    const arn = await release(world, 'O-BADDATA', { lines: [{ lineNo: 1, sku: 'UNKNOWN-42', quantity: 1, uom: 'EA' }] });
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.statesEntered(arn)).toEqual(expect.arrayContaining(['Raise data-quality exception', 'Cancel order']));
    expect((await world.deps.store.getOrder('O-BADDATA'))?.status).toBe('CANCELLED');
    const raised = (await world.deps.store.history('O-BADDATA')).find((e) => e.type === 'EXCEPTION_RAISED');
    expect(raised?.details).toMatchObject({ category: 'DATA_QUALITY', ownerTeam: 'customer-service' });
    expect(String(raised?.details?.reason)).toContain("lines[1].sku: 'UNKNOWN-42' is not in the item master");
  });

  it('raises a late-shipment exception past the ship SLA and keeps waiting when the warehouse says so', async () => {
    world = await World.create(network({ lateShipmentRate: 1 }));
    world.people = (ask) => (ask.category === 'SHIPMENT_LATE' ? { resolution: 'CONTINUE' } : undefined);
    const arn = await release(world, 'O-LATE');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.statesEntered(arn)).toContain('Raise late shipment exception');
    expect((await world.deps.store.getOrder('O-LATE'))?.stage).toBe('COMPLETED');
  });
});
