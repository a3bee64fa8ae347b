import { summarize } from '../../../lambdas/domain/order';
import { defaultSla } from '../../../lambdas/domain/sla';
import { makeCreateWave } from '../../../lambdas/tasks/create-wave';
import type { TaskDeps } from '../../../lambdas/tasks/deps';
import { makePlanLoad } from '../../../lambdas/tasks/plan-load';
import { recordCommands, startDynamo, type LocalDynamo } from '../../support/dynalite';
import { orderReleased } from '../../support/orders';

/**
 * Steps whose side effect is keyed by something the workflow carries read its ledger record with
 * the order (one request), and act once, on the order's own values, when what is carried is stale.
 */
describe('steps that read their ledger record with the order', () => {
  let dynamo: LocalDynamo;
  let requests: string[] = [];
  const waves: Array<{ orderId: string; siteId: string }> = [];
  const loads: Array<{ orderId: string; lane: string }> = [];
  let createWave: ReturnType<typeof makeCreateWave>;
  let planLoad: ReturnType<typeof makePlanLoad>;
  beforeAll(async () => {
    dynamo = await startDynamo();
    requests = recordCommands(dynamo.client);
    const deps = {
      store: dynamo.store,
      systems: {
        wms: { createWave: async (r: { orderId: string; siteId: string }) => (waves.push(r), { waveId: `W-${r.siteId}-${waves.length}` }) },
        tms: { planLoad: async (r: { order: { orderId: string }; lane: string }) => (loads.push({ orderId: r.order.orderId, lane: r.lane }), { loadId: `L-${loads.length}`, carriers: [{ carrierId: 'C1', rank: 1, rate: { amount: 100, currency: 'EUR' } }] }) },
      },
      publisher: { publish: async () => undefined },
      sla: defaultSla,
      telemetry: { count() {} },
    } as unknown as TaskDeps;
    createWave = makeCreateWave(deps);
    planLoad = makePlanLoad(deps);
  });
  afterAll(() => dynamo.close());

  const release = (orderId: string, siteId: string) => dynamo.store.createOrder(summarize(orderReleased(orderId, { siteId })), [], '2026-11-23T08:00:00Z');
  const step = (orderId: string, extra: Record<string, string> = {}) => ({ orderId, at: '2026-11-23T09:00:00Z', step: 'a step', ...extra });

  describe('Release pick wave', () => {
    it('releases one wave when the step runs again, reading the order and its wave record in one request', async () => {
      await release('O-W1', 'DC-HAM');
      const first = await createWave(step('O-W1', { siteId: 'DC-HAM' }));
      requests.length = 0;
      expect(await createWave(step('O-W1', { siteId: 'DC-HAM' }))).toEqual(first);
      expect(waves.filter((w) => w.orderId === 'O-W1')).toHaveLength(1);
      expect(requests[0]).toBe('BatchGetItemCommand');
      expect(requests).not.toContain('GetItemCommand');
    });

    it('releases the wave at the order\'s own site when the site the workflow carries is stale', async () => {
      await release('O-W2', 'DC-LYS');
      expect(await createWave(step('O-W2', { siteId: 'DC-HAM' }))).toMatchObject({ siteId: 'DC-LYS', waveId: expect.stringMatching(/^W-DC-LYS-/) });
      expect(await createWave(step('O-W2', { siteId: 'DC-HAM' }))).toMatchObject({ siteId: 'DC-LYS' });
      expect(waves.filter((w) => w.orderId === 'O-W2')).toEqual([{ orderId: 'O-W2', siteId: 'DC-LYS', at: '2026-11-23T09:00:00Z' }]);
    });

    it('still works for an execution started before the workflow carried the site', async () => {
      await release('O-W3', 'DC-HAM');
      await createWave(step('O-W3'));
      await createWave(step('O-W3'));
      expect(waves.filter((w) => w.orderId === 'O-W3')).toHaveLength(1);
    });
  });

  describe('Plan the load', () => {
    it('plans one load when the step runs again, reading the order and its load record in one request', async () => {
      await release('O-L1', 'DC-HAM');
      const first = await planLoad(step('O-L1', { siteId: 'DC-HAM', destinationCountry: 'DE' }));
      expect(first.lane).toBe('DC-HAM>DE');
      requests.length = 0;
      expect(await planLoad(step('O-L1', { siteId: 'DC-HAM', destinationCountry: 'DE' }))).toEqual(first);
      expect(loads.filter((l) => l.orderId === 'O-L1')).toHaveLength(1);
      expect(requests[0]).toBe('BatchGetItemCommand');
      expect(requests).not.toContain('GetItemCommand');
    });

    it('plans the load on the order\'s own lane when the site the workflow carries is stale, and only once', async () => {
      await release('O-L2', 'DC-LYS');
      expect(await planLoad(step('O-L2', { siteId: 'DC-HAM', destinationCountry: 'DE' }))).toMatchObject({ lane: 'DC-LYS>DE' });
      await planLoad(step('O-L2', { siteId: 'DC-HAM', destinationCountry: 'DE' }));
      await planLoad(step('O-L2'));
      expect(loads.filter((l) => l.orderId === 'O-L2')).toEqual([{ orderId: 'O-L2', lane: 'DC-LYS>DE' }]);
    });
  });
});
