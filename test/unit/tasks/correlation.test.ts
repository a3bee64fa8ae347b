import { DeleteItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { applyAdvance, deliver, registerWait } from '../../../lambdas/tasks/correlation';
import { summarize } from '../../../lambdas/domain/order';
import type { TaskCallbacks } from '../../../lambdas/ports';
import { recordCommands, startDynamo, type LocalDynamo } from '../../support/dynalite';
import { orderReleased } from '../../support/orders';

/** Records answers like Step Functions does: one answer per token, later ones are refused. */
function fakeStepFunctions() {
  const answers = new Map<string, unknown>();
  const callbacks: TaskCallbacks = {
    async succeed(token, output) {
      if (answers.has(token) || token.startsWith('dead')) return false;
      answers.set(token, output);
      return true;
    },
    async fail(token, error) {
      if (answers.has(token)) return false;
      answers.set(token, { error });
      return true;
    },
  };
  return { callbacks, answers };
}

describe('correlation of partner events with waiting workflows', () => {
  let dynamo: LocalDynamo;
  let commands: string[] = [];
  beforeAll(async () => {
    dynamo = await startDynamo();
    commands = recordCommands(dynamo.client);
    // The waits below belong to a known order (one whose kept events mark their keys).
    await dynamo.store.createOrder(summarize(orderReleased('O-1')), [], '2026-11-23T08:00:00Z');
  });
  afterAll(() => dynamo.close());

  const wait = (key: string, taskToken: string) => ({ key, taskToken, orderId: 'O-1', kind: 'TENDER' as const, registeredAt: '2026-11-23T10:00:00Z', expiresAt: '2026-11-23T14:00:00Z' });

  it('resumes the waiting task when the event arrives after the wait', async () => {
    const sfn = fakeStepFunctions();
    const deps = { store: dynamo.store, callbacks: sfn.callbacks };
    await registerWait(deps, wait('K1', 'tok-1'));
    expect(await deliver(deps, 'K1', 'evt-1', { output: { outcome: 'ACCEPTED' } }, '2026-11-23T10:05:00Z')).toBe('DELIVERED');
    expect(sfn.answers.get('tok-1')).toEqual({ outcome: 'ACCEPTED' });
  });

  it('keeps an event that arrives before its wait and delivers it when the wait registers', async () => {
    const sfn = fakeStepFunctions();
    const deps = { store: dynamo.store, callbacks: sfn.callbacks };
    expect(await deliver(deps, 'K2', 'evt-2', { output: { outcome: 'REJECTED' } }, '2026-11-23T10:00:00Z')).toBe('KEPT_FOR_LATER');
    expect((await registerWait(deps, wait('K2', 'tok-2'))).outcome).toBe('DELIVERED');
    expect(sfn.answers.get('tok-2')).toEqual({ outcome: 'REJECTED' });
  });

  it('treats a duplicate event as a no-op', async () => {
    const sfn = fakeStepFunctions();
    const deps = { store: dynamo.store, callbacks: sfn.callbacks };
    await registerWait(deps, wait('K3', 'tok-3'));
    await deliver(deps, 'K3', 'evt-3', { output: { n: 1 } }, '2026-11-23T10:00:00Z');
    await registerWait(deps, wait('K3', 'tok-3b'));
    expect(await deliver(deps, 'K3', 'evt-3', { output: { n: 1 } }, '2026-11-23T10:00:00Z')).toBe('DUPLICATE');
    expect(sfn.answers.has('tok-3b')).toBe(false);
  });

  it('keeps an event that reached a timed-out wait for the next wait on the same key', async () => {
    const sfn = fakeStepFunctions();
    const deps = { store: dynamo.store, callbacks: sfn.callbacks };
    await registerWait(deps, wait('K4', 'dead-token'));
    expect(await deliver(deps, 'K4', 'evt-4', { output: { outcome: 'DELIVERED' } }, '2026-11-23T10:00:00Z')).toBe('LATE');
    expect((await registerWait(deps, wait('K4', 'tok-4'))).outcome).toBe('DELIVERED');
    expect(sfn.answers.get('tok-4')).toEqual({ outcome: 'DELIVERED' });
  });

  it('records a delivery on the order before it wakes the workflow, so the next step reads it', async () => {
    const { state } = await dynamo.store.createOrder(summarize(orderReleased('O-FACT')), [], '2026-11-23T08:00:00Z');
    let stageWhenWoken: string | undefined;
    const deps = {
      store: dynamo.store,
      callbacks: {
        succeed: async () => {
          stageWhenWoken = (await dynamo.store.getOrder('O-FACT'))?.stage;
          return true;
        },
        fail: async () => true,
      },
    };
    await registerWait(deps, { ...wait('DELIVERY#O-FACT', 'tok-fact'), orderId: 'O-FACT', kind: 'DELIVERY' });
    const advance = { orderId: 'O-FACT', toStage: 'DELIVERED' as const, at: '2026-11-24T10:00:00Z', system: 'carrier', fact: true };
    expect(await deliver(deps, 'DELIVERY#O-FACT', 'pod-1', { output: { outcome: 'DELIVERED' }, advance }, advance.at, state)).toBe('DELIVERED');
    expect(stageWhenWoken).toBe('DELIVERED');
    expect((await dynamo.store.history('O-FACT')).filter((e) => e.type === 'STAGE_CHANGED').map((e) => e.stage)).toEqual(['DELIVERED']);
  });

  it('records a carrier acceptance only once the waiting workflow took it', async () => {
    const { state } = await dynamo.store.createOrder(summarize(orderReleased('O-ACCEPT')), [], '2026-11-23T08:00:00Z');
    const deps = { store: dynamo.store, callbacks: fakeStepFunctions().callbacks };
    await registerWait(deps, { ...wait('TENDER#T-dead', 'dead-tok'), orderId: 'O-ACCEPT' });
    const advance = { orderId: 'O-ACCEPT', toStage: 'CARRIER_CONFIRMED' as const, at: '2026-11-23T12:00:00Z', system: 'carrier' };
    expect(await deliver(deps, 'TENDER#T-dead', 'acc-1', { output: { outcome: 'ACCEPTED' }, advance }, advance.at, state)).toBe('LATE');
    expect((await dynamo.store.getOrder('O-ACCEPT'))?.stage).toBe('RELEASED');
  });

  it('does not move an order back when a shipment fact arrives after a later one', async () => {
    await dynamo.store.createOrder(summarize(orderReleased('O-LATE-SHIP')), [], '2026-11-23T08:00:00Z');
    await applyAdvance(dynamo.store, { orderId: 'O-LATE-SHIP', toStage: 'IN_TRANSIT', at: '2026-11-23T15:00:00Z', system: 'carrier' }, 'scan-1');
    await applyAdvance(dynamo.store, { orderId: 'O-LATE-SHIP', toStage: 'SHIPPED', at: '2026-11-23T14:00:00Z', system: 'wms', fact: true }, 'ship-1');
    expect((await dynamo.store.getOrder('O-LATE-SHIP'))?.stage).toBe('IN_TRANSIT');
    // Both facts stay in the log, at their own times.
    expect((await dynamo.store.history('O-LATE-SHIP')).filter((e) => e.type === 'STAGE_CHANGED').map((e) => e.stage).sort()).toEqual(['IN_TRANSIT', 'SHIPPED']);
  });

  it('delivers exactly once when the event and the registration race', async () => {
    const sfn = fakeStepFunctions();
    const deps = { store: dynamo.store, callbacks: sfn.callbacks };
    const results = await Promise.all([registerWait(deps, wait('K5', 'tok-5')).then((r) => r.outcome), deliver(deps, 'K5', 'evt-5', { output: { ok: true } }, '2026-11-23T10:00:00Z')]);
    expect(sfn.answers.get('tok-5')).toEqual({ ok: true });
    expect(results.filter((r) => r === 'DELIVERED')).toHaveLength(1);
  });

  it('reads no mailbox when nothing was kept for the key', async () => {
    const deps = { store: dynamo.store, callbacks: fakeStepFunctions().callbacks };
    commands.length = 0;
    expect((await registerWait(deps, wait('K6', 'tok-6'))).outcome).toBeUndefined();
    expect(commands).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
  });

  it('still delivers a kept event when the wait it was marked on is answered by another event first', async () => {
    const sfn = fakeStepFunctions();
    const deps = { store: dynamo.store, callbacks: sfn.callbacks };
    await registerWait(deps, wait('K7', 'tok-7a'));
    // A second event is kept (and its key marked) while the first answers the wait.
    await dynamo.store.putMailbox({ key: 'K7', eventId: 'evt-7b', receivedAt: '2026-11-23T10:01:00Z', delivery: { output: { n: 2 } } });
    expect(await deliver(deps, 'K7', 'evt-7a', { output: { n: 1 } }, '2026-11-23T10:01:00Z')).toBe('DELIVERED');
    expect(await dynamo.store.getWait('K7')).toBeUndefined();
    // The next wait on the key (a delivery wait registered again after a delay, say) gets it.
    expect((await registerWait(deps, wait('K7', 'tok-7b'))).outcome).toBe('DELIVERED');
    expect(sfn.answers.get('tok-7b')).toEqual({ n: 2 });
  });

  it('reads the mailbox of an order from before the marks, where kept events are not marked', async () => {
    await dynamo.store.createOrder(summarize(orderReleased('O-OLD')), [], '2026-11-22T08:00:00Z');
    await dynamo.client.send(new UpdateItemCommand({ TableName: dynamo.tableName, Key: { PK: { S: 'ORDER#O-OLD' }, SK: { S: 'STATE' } }, UpdateExpression: 'REMOVE mailboxMarkers' }));
    await dynamo.store.putMailbox({ key: 'SHIP#O-OLD', eventId: 'ship-old', receivedAt: '2026-11-22T10:00:00Z', delivery: { output: { outcome: 'SHIPPED' } } });
    // As the earlier release kept it: no mark.
    await dynamo.client.send(new DeleteItemCommand({ TableName: dynamo.tableName, Key: { PK: { S: 'WAIT#SHIP#O-OLD' }, SK: { S: 'WAIT' } } }));
    const sfn = fakeStepFunctions();
    expect((await registerWait({ store: dynamo.store, callbacks: sfn.callbacks }, { ...wait('SHIP#O-OLD', 'tok-old'), orderId: 'O-OLD', kind: 'SHIP_CONFIRMATION' })).outcome).toBe('DELIVERED');
    expect(sfn.answers.get('tok-old')).toEqual({ outcome: 'SHIPPED' });
  });
});
