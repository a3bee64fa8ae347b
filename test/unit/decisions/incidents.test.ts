import { defaultProfile } from '../../../lambdas/adapters/simulators/profile';
import { createSimulatedSystems, type SentNotification } from '../../../lambdas/adapters/simulators/simulators';
import { incidentIdFor, incidentWindow, patternOf } from '../../../lambdas/decisions/incidents';
import { triage } from '../../../lambdas/decisions/triage';
import { routeException } from '../../../lambdas/domain/exceptions';
import { summarize } from '../../../lambdas/domain/order';
import { defaultSla } from '../../../lambdas/domain/sla';
import type { OrchestratorEvent } from '../../../lambdas/ports';
import { makeRaiseException } from '../../../lambdas/tasks/raise-exception';
import type { TaskDeps } from '../../../lambdas/tasks/deps';
import { startDynamo, type LocalDynamo } from '../../support/dynalite';
import { orderReleased } from '../../support/orders';

describe('incidents: recurring exceptions raised once', () => {
  let dynamo: LocalDynamo;
  let deps: TaskDeps;
  let published: OrchestratorEvent[];
  let sent: SentNotification[];
  beforeAll(async () => {
    dynamo = await startDynamo();
  });
  afterAll(() => dynamo.close());
  beforeEach(() => {
    published = [];
    sent = [];
    deps = {
      store: dynamo.store,
      systems: createSimulatedSystems(defaultProfile(1), { schedule: async () => {} }, sent),
      callbacks: { succeed: async () => true, fail: async () => true },
      publisher: { publish: async (events) => void published.push(...events) },
      sla: defaultSla,
      telemetry: { count() {} },
    };
  });

  /** An order whose last tender went to `carrierId` on `lane`, at the stage a rejection leaves it. */
  async function tenderedOrder(orderId: string, carrierId: string, siteId: string) {
    const { state } = await dynamo.store.createOrder(summarize(orderReleased(orderId, { siteId })), orderReleased(orderId).lines, '2026-11-23T08:00:00Z');
    await dynamo.store.updateOrder(orderId, state.version, { stage: 'TENDERED', carrierId, lane: `${siteId}>DE`, updatedAt: '2026-11-23T08:00:00Z' });
  }
  const raise = (orderId: string, minute: number) =>
    makeRaiseException(deps)({ orderId, at: new Date(Date.parse('2026-11-23T09:00:00Z') + minute * 60_000).toISOString(), step: 'Escalate to transport planner', category: 'CARRIER_CAPACITY', reason: 'No carrier accepted the load after 3 tender(s)' });

  it('groups 50 rejections of one carrier on one lane into one incident with a count of 50, raised to the owner once', async () => {
    for (let i = 0; i < 50; i++) {
      await tenderedOrder(`O-GEOD-${i}`, 'GEOD', 'DC-HAM');
      await raise(`O-GEOD-${i}`, i * 5);
    }
    const incidentId = incidentIdFor('CARRIER_CAPACITY', 'carrier GEOD on DC-HAM>DE', '2026-11-23T00:00:00.000Z');
    const incident = await dynamo.store.getIncident(incidentId);
    expect(incident).toMatchObject({ count: 50, pattern: 'carrier GEOD on DC-HAM>DE', ownerTeam: 'transport-planning', firstAt: '2026-11-23T09:00:00.000Z' });
    expect(incident?.exceptionIds).toHaveLength(50);

    const raised = published.filter((e) => e.detailType === 'IncidentRaised');
    expect(raised).toHaveLength(1);
    expect((raised[0]!.detail as { data: Record<string, unknown> }).data).toMatchObject({ incidentId, count: 3, category: 'CARRIER_CAPACITY' });
    // The owner hears of the first two exceptions, then of the incident once: 3 notifications, not 50.
    const toOwner = sent.filter((n) => n.to === 'team:transport-planning');
    expect(toOwner).toHaveLength(3);
    expect(toOwner[2]!.topic).toContain(`Incident ${incidentId}: 3 CARRIER_CAPACITY for carrier GEOD on DC-HAM>DE`);
    expect(toOwner[2]!.message).toMatch(/^3 CARRIER_CAPACITY exceptions for carrier GEOD on DC-HAM>DE from 2026-11-23 00:00 to 2026-11-24 00:00 UTC/);
    // Every exception still carries its incident and a suggested next action; recurring ones are raised a level.
    const last = published.filter((e) => e.detailType === 'ExceptionRaised').at(-1)!.detail as { data: Record<string, unknown> };
    expect(last.data).toMatchObject({ incidentId, severity: 'CRITICAL', nextAction: expect.stringContaining('Carrier GEOD keeps failing on DC-HAM>DE') });
  });

  it('keeps different lanes and carriers apart', async () => {
    await tenderedOrder('O-LANE-1', 'DBSK', 'DC-LYS');
    await tenderedOrder('O-LANE-2', 'DBSK', 'DC-WAW');
    await tenderedOrder('O-LANE-3', 'RHNS', 'DC-LYS');
    for (const id of ['O-LANE-1', 'O-LANE-2', 'O-LANE-3']) await raise(id, 0);
    const window = incidentWindow('2026-11-23T09:00:00Z').start;
    for (const pattern of ['carrier DBSK on DC-LYS>DE', 'carrier DBSK on DC-WAW>DE', 'carrier RHNS on DC-LYS>DE']) {
      expect(await dynamo.store.getIncident(incidentIdFor('CARRIER_CAPACITY', pattern, window))).toMatchObject({ count: 1 });
    }
    expect(published.filter((e) => e.detailType === 'IncidentRaised')).toHaveLength(0);
  });

  it('counts a retried raise once', async () => {
    await tenderedOrder('O-RETRY', 'DHLF', 'DC-HAM');
    await raise('O-RETRY', 0);
    await raise('O-RETRY', 0);
    expect(await dynamo.store.getIncident(incidentIdFor('CARRIER_CAPACITY', 'carrier DHLF on DC-HAM>DE', incidentWindow('2026-11-23T09:00:00Z').start))).toMatchObject({ count: 1 });
  });

  it('starts a new incident in the next window', () => {
    expect(incidentIdFor('STOCK_SHORT', 'site DC-WAW short of stock', incidentWindow('2026-11-23T23:59:00Z').start)).not.toBe(
      incidentIdFor('STOCK_SHORT', 'site DC-WAW short of stock', incidentWindow('2026-11-24T00:01:00Z').start),
    );
  });
});

describe('triage', () => {
  const base = { siteId: 'DC-HAM', carrierId: 'GEOD', lane: 'DC-HAM>DE', patternCount: 1 };
  it('keeps the category severity for a one-off and suggests the recommended carrier', () => {
    const t = triage({ ...base, category: 'CARRIER_CAPACITY', route: routeException('CARRIER_CAPACITY', 'STANDARD'), recommendation: { kind: 'CARRIER', choice: 'RHNS' } });
    expect(t).toEqual({ severity: 'HIGH', ownerTeam: 'transport-planning', nextAction: 'Approve carrier RHNS (recommended), book another, expedite or cancel', raisedBecause: [] });
  });
  it('raises the severity for a high delay risk and for a recurring pattern, and says why', () => {
    expect(triage({ ...base, category: 'STOCK_SHORT', route: routeException('STOCK_SHORT', 'STANDARD'), riskScore: 0.6 })).toMatchObject({ severity: 'CRITICAL', raisedBecause: ['delay risk 60%'] });
    expect(triage({ ...base, category: 'STOCK_SHORT', route: routeException('STOCK_SHORT', 'STANDARD'), patternCount: 5 })).toMatchObject({
      severity: 'CRITICAL',
      nextAction: 'Site DC-HAM is short again and again: check its replenishment and cycle counts',
    });
    expect(triage({ ...base, category: 'DELIVERY_DELAY', route: routeException('DELIVERY_DELAY', 'STANDARD'), patternCount: 4 }).severity).toBe('MEDIUM');
  });
  it('groups by carrier and lane for carrier exceptions, by site for stock, and not at all for data quality', () => {
    expect(patternOf({ category: 'DELIVERY_FAILED', siteId: 'DC-HAM', carrierId: 'GEOD', lane: 'DC-HAM>FR' })).toBe('carrier GEOD on DC-HAM>FR');
    expect(patternOf({ category: 'STOCK_SHORT', siteId: 'DC-WAW' })).toBe('site DC-WAW short of stock');
    expect(patternOf({ category: 'DATA_QUALITY', siteId: 'DC-WAW' })).toBeUndefined();
  });
});
