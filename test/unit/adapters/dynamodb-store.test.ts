import { GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { summarize } from '../../../lambdas/domain/order';
import { recordCommands, startDynamo, type LocalDynamo } from '../../support/dynalite';
import { orderReleased } from '../../support/orders';

/** The side-effect ledger read together with the order (one request instead of two). */
describe('the workflow store: an order read with its side-effect records', () => {
  let dynamo: LocalDynamo;
  let requests: string[] = [];
  beforeAll(async () => {
    dynamo = await startDynamo();
    requests = recordCommands(dynamo.client);
    await dynamo.store.createOrder(summarize(orderReleased('O-FX')), [], '2026-11-23T08:00:00Z');
  });
  afterAll(() => dynamo.close());

  it('reads the order and the records of its side effects in one request', async () => {
    await dynamo.store.once('O-FX', 'invoice', 'O-FX', '2026-11-23T09:00:00Z', async () => ({ invoiceId: 'INV-1' }));
    requests.length = 0;
    const { state, effects } = await dynamo.store.getOrderWithEffects('O-FX', [
      { kind: 'invoice', key: 'O-FX' },
      { kind: 'pickup', key: 'T-1' },
    ]);
    expect(requests).toEqual(['BatchGetItemCommand']);
    expect(state).toMatchObject({ stage: 'RELEASED', summary: { orderId: 'O-FX' } });
    expect(effects['invoice#O-FX']).toMatchObject({ status: 'DONE', result: { invoiceId: 'INV-1' } });
    expect(effects['pickup#T-1']).toBeNull();
  });

  it('does not run an effect again, nor read its record again, when the record came with the order', async () => {
    const { effects } = await dynamo.store.getOrderWithEffects('O-FX', [{ kind: 'invoice', key: 'O-FX' }]);
    requests.length = 0;
    let calls = 0;
    const out = await dynamo.store.once('O-FX', 'invoice', 'O-FX', '2026-11-23T09:05:00Z', async () => ({ invoiceId: `INV-${++calls}` }), effects);
    expect(out).toEqual({ result: { invoiceId: 'INV-1' }, firstTime: false });
    expect(calls).toBe(0);
    expect(requests).toEqual([]);
  });

  it('keeps the first recorded result when another attempt finished the effect after the read', async () => {
    const { effects } = await dynamo.store.getOrderWithEffects('O-FX', [{ kind: 'wave', key: 'DC-1' }]);
    expect(effects['wave#DC-1']).toBeNull();
    // A concurrent attempt of the same step records its result in between.
    await dynamo.store.once('O-FX', 'wave', 'DC-1', '2026-11-23T09:00:00Z', async () => ({ waveId: 'W-first' }));
    const out = await dynamo.store.once('O-FX', 'wave', 'DC-1', '2026-11-23T09:00:00Z', async () => ({ waveId: 'W-second' }), effects);
    expect(out).toEqual({ result: { waveId: 'W-first' }, firstTime: false });
  });

  it('reads an unknown order as missing, and a read with no effects as a plain GetItem', async () => {
    requests.length = 0;
    expect(await dynamo.store.getOrderWithEffects('O-NONE', [{ kind: 'invoice', key: 'O-NONE' }])).toEqual({ state: undefined, effects: { 'invoice#O-NONE': null } });
    expect((await dynamo.store.getOrderWithEffects('O-FX', [])).state?.summary.orderId).toBe('O-FX');
    expect(requests).toEqual(['BatchGetItemCommand', 'GetItemCommand']);
  });

  it('registers a wait as the order\'s active one and returns the order as it stood then, cancellation included', async () => {
    const { state } = await dynamo.store.createOrder(summarize(orderReleased('O-WAIT')), [], '2026-11-23T08:00:00Z');
    await dynamo.store.updateOrder('O-WAIT', state.version, { cancelRequested: { reason: 'customer changed their mind', at: '2026-11-23T08:30:00Z' }, updatedAt: '2026-11-23T08:30:00Z' });
    const wait = { key: 'TENDER#T-W', taskToken: 'tok-w', orderId: 'O-WAIT', kind: 'TENDER' as const, registeredAt: '2026-11-23T09:00:00Z', expiresAt: '2026-11-23T13:00:00Z' };
    const { order } = await dynamo.store.registerWait(wait);
    expect(order).toMatchObject({ activeWaitKey: 'TENDER#T-W', cancelRequested: { reason: 'customer changed their mind' }, version: state.version + 1 });
    expect(await dynamo.store.getActiveWait('O-WAIT')).toMatchObject({ key: 'TENDER#T-W', taskToken: 'tok-w' });
  });

  it('registers a wait for an order it does not know without inventing a state for it', async () => {
    expect(await dynamo.store.registerWait({ key: 'TENDER#T-X', taskToken: 'tok-x', orderId: 'O-UNKNOWN', kind: 'TENDER', registeredAt: '2026-11-23T09:00:00Z', expiresAt: '2026-11-23T13:00:00Z' })).toEqual({ order: undefined, mayHaveMail: true });
    expect(await dynamo.store.getOrder('O-UNKNOWN')).toBeUndefined();
    expect(await dynamo.store.getWait('TENDER#T-X')).toMatchObject({ taskToken: 'tok-x' });
  });

  it('lists quiet orders by status as ids and execution ARNs only, oldest first', async () => {
    const at = (h: number) => `2026-11-20T${String(h).padStart(2, '0')}:00:00.000Z`;
    for (const [i, id] of ['O-Q1', 'O-Q2', 'O-Q3'].entries()) {
      const { state } = await dynamo.store.createOrder(summarize(orderReleased(id)), [], at(1));
      await dynamo.store.updateOrder(id, state.version, { status: 'RUNNING', updatedAt: at(3 - i), ...(id === 'O-Q3' ? {} : { executionArn: `arn:aws:states:us-east-1:1:execution:m:${id}` }) });
    }
    const refs = await dynamo.store.orderRefsLastUpdatedBetween('RUNNING', at(0), at(3), 10);
    expect(refs).toEqual([{ orderId: 'O-Q3' }, { orderId: 'O-Q2', executionArn: 'arn:aws:states:us-east-1:1:execution:m:O-Q2' }]);
    expect((await dynamo.store.ordersLastUpdatedBetween('RUNNING', at(0), at(3), 10)).map((o) => o.summary.orderId)).toEqual(['O-Q3', 'O-Q2']);
  });

  it('still finds the active wait of an order whose wait was registered before the pointer moved onto its state', async () => {
    await dynamo.store.createOrder(summarize(orderReleased('O-LEGACY')), [], '2026-11-22T08:00:00Z');
    const wait = { key: 'SHIP#O-LEGACY', taskToken: 'tok-l', orderId: 'O-LEGACY', kind: 'SHIP_CONFIRMATION' as const, registeredAt: '2026-11-22T09:00:00Z', expiresAt: '2026-11-23T09:00:00Z' };
    await dynamo.store.registerWait(wait);
    // As the earlier release wrote it: the pointer in its own item, none on the state.
    await dynamo.client.send(new UpdateItemCommand({ TableName: dynamo.tableName, Key: { PK: { S: 'ORDER#O-LEGACY' }, SK: { S: 'STATE' } }, UpdateExpression: 'REMOVE activeWaitKey' }));
    await dynamo.client.send(new PutItemCommand({ TableName: dynamo.tableName, Item: { PK: { S: 'ORDER#O-LEGACY' }, SK: { S: 'ACTIVE_WAIT' }, key: { S: 'SHIP#O-LEGACY' }, kind: { S: 'SHIP_CONFIRMATION' } } }));
    expect(await dynamo.store.getActiveWait('O-LEGACY')).toMatchObject({ key: 'SHIP#O-LEGACY', taskToken: 'tok-l' });
  });

  it('reads the wait an event answers together with the order, or null when none is registered', async () => {
    await dynamo.store.createOrder(summarize(orderReleased('O-ANS')), [], '2026-11-23T08:00:00Z');
    await dynamo.store.registerWait({ key: 'TENDER#T-ANS', taskToken: 'tok-ans', orderId: 'O-ANS', kind: 'TENDER', registeredAt: '2026-11-23T09:00:00Z', expiresAt: '2026-11-23T13:00:00Z' });
    requests.length = 0;
    const read = await dynamo.store.getOrderWithEffects('O-ANS', [], { wait: 'TENDER#T-ANS' });
    expect(requests).toEqual(['BatchGetItemCommand']);
    expect(read.state?.summary.orderId).toBe('O-ANS');
    expect(read.wait).toEqual({ key: 'TENDER#T-ANS', taskToken: 'tok-ans', orderId: 'O-ANS', kind: 'TENDER', registeredAt: '2026-11-23T09:00:00Z', expiresAt: '2026-11-23T13:00:00Z' });
    expect(read.wait).toEqual(await dynamo.store.getWait('TENDER#T-ANS'));
    expect((await dynamo.store.getOrderWithEffects('O-ANS', [], { wait: 'TENDER#T-NONE' })).wait).toBeNull();
  });

  it('reads the order with all its lines in one request, and nothing else kept under the order', async () => {
    const lines = Array.from({ length: 450 }, (_, i) => ({ lineNo: i + 1, sku: `SKU-${i}`, quantity: 1, uom: 'EA' }));
    const release = orderReleased('O-LINES', { lines });
    await dynamo.store.createOrder(summarize(release), release.lines, '2026-11-23T08:00:00Z');
    // Records that sort near the lines under the same order: a side effect and a lane statistic.
    await dynamo.store.once('O-LINES', 'wave', 'DC-HAM', '2026-11-23T09:00:00Z', async () => ({ waveId: 'W-1' }));
    await dynamo.store.addLaneStats('DC-HAM>DE', 'C1', { tenders: 1, accepted: 1 }, { orderId: 'O-LINES', factKey: 'tender-1', at: '2026-11-23T09:00:00Z' });
    requests.length = 0;
    const read = await dynamo.store.getOrderWithLines('O-LINES');
    expect(requests).toEqual(['QueryCommand']);
    expect(read.state).toMatchObject({ stage: 'RELEASED', summary: { orderId: 'O-LINES' } });
    expect(read.lines).toEqual(lines);
    expect(await dynamo.store.getOrderWithLines('O-NOBODY')).toEqual({ state: undefined, lines: [] });
  });

  it('keeps a key\'s mark (and the time-to-live of its kept events) when a shorter wait is registered on it', async () => {
    await dynamo.store.createOrder(summarize(orderReleased('O-MARK')), [], '2026-11-23T08:00:00Z');
    await dynamo.store.putMailbox({ key: 'SHIP#O-MARK', eventId: 'ship-early', receivedAt: '2026-11-23T09:00:00Z', delivery: { output: {} } });
    const waitItem = async () => (await dynamo.client.send(new GetItemCommand({ TableName: dynamo.tableName, Key: { PK: { S: 'WAIT#SHIP#O-MARK' }, SK: { S: 'WAIT' } }, ConsistentRead: true }))).Item;
    const keptUntil = (await waitItem())?.expiresAt?.N;
    expect(await dynamo.store.getWait('SHIP#O-MARK')).toBeUndefined();
    const registered = await dynamo.store.registerWait({ key: 'SHIP#O-MARK', taskToken: 'tok-m', orderId: 'O-MARK', kind: 'SHIP_CONFIRMATION', registeredAt: '2026-11-23T09:30:00Z', expiresAt: '2026-11-23T12:00:00Z' });
    expect(registered.mayHaveMail).toBe(true);
    expect(await waitItem()).toMatchObject({ hasMail: { BOOL: true }, taskToken: { S: 'tok-m' }, expiresAt: { N: keptUntil } });
    expect(await dynamo.store.getWait('SHIP#O-MARK')).toEqual({ key: 'SHIP#O-MARK', taskToken: 'tok-m', orderId: 'O-MARK', kind: 'SHIP_CONFIRMATION', registeredAt: '2026-11-23T09:30:00Z', expiresAt: '2026-11-23T12:00:00Z' });
    expect((await dynamo.store.getOrder('O-MARK')) as unknown as Record<string, unknown>).not.toHaveProperty('mailboxMarkers');
  });
});
