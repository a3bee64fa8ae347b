import { summarize } from '../../../lambdas/domain/order';
import { defaultSla } from '../../../lambdas/domain/sla';
import { makeCreateWave } from '../../../lambdas/tasks/create-wave';
import type { TaskDeps } from '../../../lambdas/tasks/deps';
import { recordCommands, startDynamo, type LocalDynamo } from '../../support/dynalite';
import { orderReleased } from '../../support/orders';

/** Release pick wave: the wave record is read with the order, and a wave is released once, at the order's own site. */
describe('releasing the pick wave', () => {
  let dynamo: LocalDynamo;
  let requests: string[] = [];
  const waves: Array<{ orderId: string; siteId: string }> = [];
  let createWave: ReturnType<typeof makeCreateWave>;
  beforeAll(async () => {
    dynamo = await startDynamo();
    requests = recordCommands(dynamo.client);
    const deps = {
      store: dynamo.store,
      systems: { wms: { createWave: async (r: { orderId: string; siteId: string }) => (waves.push(r), { waveId: `W-${r.siteId}-${waves.length}` }) } },
      publisher: { publish: async () => undefined },
      sla: defaultSla,
      telemetry: { count() {} },
    } as unknown as TaskDeps;
    createWave = makeCreateWave(deps);
  });
  afterAll(() => dynamo.close());

  it('releases one wave when the step runs again, reading the order and its wave record in one request', async () => {
    await dynamo.store.createOrder(summarize(orderReleased('O-W1', { siteId: 'DC-HAM' })), [], '2026-11-23T08:00:00Z');
    const input = { orderId: 'O-W1', at: '2026-11-23T09:00:00Z', step: 'Release pick wave', siteId: 'DC-HAM' };
    const first = await createWave(input);
    requests.length = 0;
    const again = await createWave(input);
    expect(again).toEqual(first);
    expect(waves.filter((w) => w.orderId === 'O-W1')).toHaveLength(1);
    expect(requests[0]).toBe('BatchGetItemCommand');
    expect(requests).not.toContain('GetItemCommand');
  });

  it('releases the wave at the order\'s own site when the site the workflow carries is stale', async () => {
    await dynamo.store.createOrder(summarize(orderReleased('O-W2', { siteId: 'DC-LYS' })), [], '2026-11-23T08:00:00Z');
    const input = { orderId: 'O-W2', at: '2026-11-23T09:00:00Z', step: 'Release pick wave', siteId: 'DC-HAM' };
    expect(await createWave(input)).toMatchObject({ siteId: 'DC-LYS', waveId: expect.stringMatching(/^W-DC-LYS-/) });
    expect(await createWave(input)).toMatchObject({ siteId: 'DC-LYS' });
    expect(waves.filter((w) => w.orderId === 'O-W2')).toEqual([{ orderId: 'O-W2', siteId: 'DC-LYS', at: '2026-11-23T09:00:00Z' }]);
  });

  it('still works for an execution started before the workflow carried the site', async () => {
    await dynamo.store.createOrder(summarize(orderReleased('O-W3', { siteId: 'DC-HAM' })), [], '2026-11-23T08:00:00Z');
    const input = { orderId: 'O-W3', at: '2026-11-23T09:00:00Z', step: 'Release pick wave' };
    await createWave(input);
    await createWave(input);
    expect(waves.filter((w) => w.orderId === 'O-W3')).toHaveLength(1);
  });
});
