import { recommendationAudit } from '../../lambdas/decisions/audit';
import { defaultDecisionPolicy, parseDecisionPolicy } from '../../lambdas/decisions/policy';
import { orderReleased } from '../support/orders';
import { standInScorer } from '../unit/decisions/stand-in-scorer';
import { quietNetwork } from './network';
import { World } from './world';

const release = (world: World, orderId: string) =>
  world.release(
    orderReleased(orderId, {
      requestedShipDate: new Date(world.clock.now() + 24 * 3600_000).toISOString(),
      promisedDeliveryDate: new Date(world.clock.now() + 4 * 24 * 3600_000).toISOString(),
    }),
  );

const recommendations = async (world: World, orderId: string) =>
  (await world.deps.store.history(orderId)).filter((e) => e.type === 'DECISION' && e.details?.decision === 'RECOMMENDATION');

/** C1 rejects every tender; the other carriers accept. */
const c1Rejects = () => {
  const base = quietNetwork();
  return { ...base, carriers: base.carriers!.map((c) => (c.carrierId === 'C1' ? { ...c, acceptanceRate: 0 } : c)) };
};

/** DC-HAM (the assigned site) is short; DC-WAW (+300 km) and DC-LYS (+400 km) can ship. */
const hamShort = () =>
  quietNetwork({
    sites: [
      { siteId: 'DC-HAM', country: 'DE', stockShortRate: 1, distanceKm: { DE: 300 } },
      { siteId: 'DC-LYS', country: 'FR', stockShortRate: 0, distanceKm: { DE: 700 } },
      { siteId: 'DC-WAW', country: 'PL', stockShortRate: 0, distanceKm: { DE: 600 } },
    ],
  });

describe('assisted decisions in the order-to-ship workflow', () => {
  let world: World;
  afterEach(() => world?.close());

  it('re-tenders a rejected load to the recommended carrier on its own when the policy allows, and records why', async () => {
    world = await World.create(c1Rejects(), { scorer: standInScorer(0.2) });
    const arn = await release(world, 'O-AUTO');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    const states = await world.statesEntered(arn);
    expect(states).toEqual(expect.arrayContaining(['Choose another carrier', 'Is the recommended carrier inside policy?']));
    expect(states).not.toContain('Ask planner to approve the recommended carrier');
    expect(await world.deps.store.getOrder('O-AUTO')).toMatchObject({ carrierId: 'C2', stage: 'COMPLETED' });

    const [rec] = await recommendations(world, 'O-AUTO');
    expect(rec?.details).toMatchObject({
      kind: 'CARRIER',
      action: 'AUTO_APPLIED',
      choice: 'C2',
      riskScore: 0.2,
      modelVersion: 'stand-in-test-1',
      policyVersion: defaultDecisionPolicy().version,
      inputs: expect.objectContaining({ lane: 'DC-HAM>DE', tried: ['C1'] }),
    });
    expect(rec?.details?.reasons).toEqual(expect.arrayContaining([expect.stringContaining("routing guide's next carrier"), expect.stringContaining('delay risk 20.0%')]));
    expect(recommendationAudit(await world.deps.store.history('O-AUTO'))).toEqual([
      expect.objectContaining({ verdict: 'AUTO_APPLIED', choice: 'C2', outcome: 'ON_TIME' }),
    ]);
    // The rejection and the acceptance were counted on the lane for the next recommendation.
    expect(await world.deps.store.laneStats('DC-HAM>DE')).toMatchObject({ C1: { tenders: 1, accepted: 0 }, C2: { tenders: 1, accepted: 1, shipments: 1, late: 0 } });
  });

  /** The shipped policy with an absolute risk limit on re-tenders: above it, a planner decides. */
  const riskCapped = () => parseDecisionPolicy({ ...defaultDecisionPolicy(), alternateCarrier: { ...defaultDecisionPolicy().alternateCarrier, auto: { maxCostIncreasePct: 5, maxRiskIncrease: 0, maxRisk: 0.5 } } });

  it('asks the transport planner when the recommended carrier is above policy, and records who approved it', async () => {
    world = await World.create(c1Rejects(), { scorer: standInScorer(0.7), policy: riskCapped() });
    world.people = (ask) => (ask.category === 'CARRIER_CAPACITY' ? { resolution: 'APPROVE_ALTERNATE_CARRIER', extra: { carrierId: 'C2' } } : undefined);
    const arn = await release(world, 'O-ASK');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.statesEntered(arn)).toEqual(
      expect.arrayContaining(['Choose another carrier', 'Ask planner to approve the recommended carrier', 'Wait for decision by exception owner', 'Book carrier chosen by planner']),
    );
    expect(await world.deps.store.getOrder('O-ASK')).toMatchObject({ carrierId: 'C2', stage: 'COMPLETED' });

    const raised = world.published.find((e) => e.detailType === 'ExceptionRaised')?.detail as { data: Record<string, unknown> };
    expect(raised.data).toMatchObject({ category: 'CARRIER_CAPACITY', ownerTeam: 'transport-planning', recommendation: { choice: 'C2', action: 'APPROVAL', riskScore: 0.7 } });
    expect((raised.data.recommendation as { checks: string[] }).checks).toContain('risk 70.0% >= 50.0% limit');
    const approval = world.published.find((e) => e.detailType === 'ApprovalRequested')?.detail as { data: { suggestedCarrierIds: string[] } };
    expect(approval.data.suggestedCarrierIds[0]).toBe('C2');
    expect(world.notifications.find((n) => n.to === 'team:transport-planning')?.message).toContain('Recommended carrier C2');

    const [audit] = recommendationAudit(await world.deps.store.history('O-ASK'));
    expect(audit).toMatchObject({ action: 'SENT_FOR_APPROVAL', verdict: 'APPROVED', decidedBy: { type: 'person', id: 'planner-1' }, answer: { decision: 'APPROVE_ALTERNATE_CARRIER', choice: 'C2' } });
  });

  it('counts a planner who books another carrier than the recommended one as an override', async () => {
    world = await World.create(c1Rejects(), { scorer: standInScorer(0.7), policy: riskCapped() });
    world.people = (ask) => (ask.category === 'CARRIER_CAPACITY' ? { resolution: 'APPROVE_ALTERNATE_CARRIER', extra: { carrierId: 'C4' } } : undefined);
    const arn = await release(world, 'O-OVERRIDE');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.deps.store.getOrder('O-OVERRIDE')).toMatchObject({ carrierId: 'C4', stage: 'COMPLETED' });
    expect(recommendationAudit(await world.deps.store.history('O-OVERRIDE'))).toEqual([expect.objectContaining({ verdict: 'OVERRIDDEN', choice: 'C2', answer: { decision: 'APPROVE_ALTERNATE_CARRIER', choice: 'C4' } })]);
  });

  it('does not recommend a carrier whose circuit breaker is open', async () => {
    world = await World.create(c1Rejects(), { scorer: standInScorer(0.2) });
    const at = new Date(world.clock.now()).toISOString();
    const openUntil = new Date(world.clock.now() + 7 * 24 * 3600_000).toISOString();
    await world.deps.store.saveBreaker('carrier', 'C2', { status: 'OPEN', failures: 5, clock: at, openedAt: at, openUntil, lastError: 'carrier API down', timesOpened: 1 }, 0);
    const arn = await release(world, 'O-BREAKER');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    const [rec] = await recommendations(world, 'O-BREAKER');
    expect(rec?.details).toMatchObject({ choice: 'C3', inputs: expect.objectContaining({ down: ['C2'], tried: ['C1'] }) });
    // C3 is the routing guide's next carrier once C2 is out, so the re-tender stays inside policy.
    expect(rec?.details?.action).toBe('AUTO_APPLIED');
    expect(await world.deps.store.getOrder('O-BREAKER')).toMatchObject({ carrierId: 'C3', stage: 'COMPLETED' });
  });

  it('reallocates to the recommended site on its own inside policy', async () => {
    world = await World.create(hamShort(), { scorer: standInScorer(0.2) });
    const arn = await release(world, 'O-SITE-AUTO');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect((await world.deps.store.getOrder('O-SITE-AUTO'))?.summary.siteId).toBe('DC-WAW');
    const [rec] = await recommendations(world, 'O-SITE-AUTO');
    expect(rec?.details).toMatchObject({ kind: 'SITE', action: 'AUTO_APPLIED', choice: 'DC-WAW' });
    expect(rec?.details?.reasons).toContain('600 km to DE, +300 km vs DC-HAM');
  });

  it('asks a planner to approve a site farther than the policy allows, and ships from the site they approve', async () => {
    const policy = parseDecisionPolicy({ ...defaultDecisionPolicy(), alternateSite: { auto: { maxExtraDistanceKm: 300, maxRisk: 0.5 }, approver: 'procurement' } });
    world = await World.create(hamShort(), { scorer: standInScorer(0.2), policy });
    world.people = (ask) => (ask.category === 'STOCK_SHORT' ? { resolution: 'APPROVE_ALTERNATE_SITE', extra: { siteId: 'DC-WAW' } } : undefined);
    const arn = await release(world, 'O-SITE-ASK');
    expect((await world.finish(arn)).status).toBe('SUCCEEDED');
    expect(await world.statesEntered(arn)).toEqual(expect.arrayContaining(['Choose another site', 'Ask planner to approve the recommended site', 'Reserve stock at site chosen by planner']));
    const order = await world.deps.store.getOrder('O-SITE-ASK');
    expect(order).toMatchObject({ stage: 'COMPLETED', summary: expect.objectContaining({ siteId: 'DC-WAW' }) });
    const approval = world.published.find((e) => e.detailType === 'ApprovalRequested')?.detail as { data: Record<string, unknown> };
    expect(approval.data).toMatchObject({ options: ['APPROVE_ALTERNATE_SITE', 'CANCEL'], suggestedSiteIds: ['DC-WAW'], ownerTeam: 'procurement' });
    expect(recommendationAudit(await world.deps.store.history('O-SITE-ASK'))).toEqual([
      expect.objectContaining({ kind: 'SITE', action: 'SENT_FOR_APPROVAL', verdict: 'APPROVED', choice: 'DC-WAW', decidedBy: expect.objectContaining({ type: 'person' }) }),
    ]);
  });
});
