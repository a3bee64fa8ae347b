import { defaultDecisionPolicy } from '../../../lambdas/decisions/policy';
import { rankCarriers, rankSites, type BaseRiskContext } from '../../../lambdas/decisions/recommend';
import { describeRecommendation, recommendCarrier, recommendSite } from '../../../lambdas/decisions/recommendation';
import { standInScorer } from './stand-in-scorer';

const context: BaseRiskContext = {
  at: '2026-11-23T10:00:00Z',
  customerPriority: 'STANDARD',
  requestedShipDate: '2026-11-24T10:00:00Z',
  promisedDeliveryDate: '2026-11-26T10:00:00Z',
  siteId: 'DC-HAM',
  siteQueueLength: 10,
  stockAvailable: true,
  lane: 'DC-HAM>DE',
};
const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('ranking alternate carriers', () => {
  it('follows the routing guide (cheapest first) for carriers with no history on the lane', () => {
    const ranked = rankCarriers({ candidates: [{ carrierId: 'C3', rank: 3, rate: eur(120) }, { carrierId: 'C2', rank: 2, rate: eur(100) }], context, scorer: standInScorer(0.1) });
    expect(ranked.map((r) => [r.choice, r.position])).toEqual([['C2', 1], ['C3', 2]]);
    expect(ranked[0]!.reasons).toEqual([
      'no tenders on DC-HAM>DE yet (counted as 50%)',
      'no deliveries on DC-HAM>DE yet (counted as 50%)',
      "rate 100.00 EUR, the routing guide's next carrier (rank 2)",
      'delay risk 10.0% (model stand-in-test-1; stand-in for C2 +0.10)',
    ]);
    expect(ranked[1]!.reasons[2]).toBe("rate 120.00 EUR, +20.0% vs C2 (routing guide's next, rank 2)");
  });

  it('puts a slightly dearer carrier that accepts and delivers on time ahead of one that rejects and runs late', () => {
    const ranked = rankCarriers({
      candidates: [
        { carrierId: 'CHEAP', rank: 2, rate: eur(100), stats: { tenders: 20, accepted: 6, shipments: 6, late: 3 } },
        { carrierId: 'RELIABLE', rank: 3, rate: eur(104), stats: { tenders: 20, accepted: 19, shipments: 19, late: 1 } },
      ],
      context,
      scorer: standInScorer(0.2, { CHEAP: 0.4, RELIABLE: 0.15 }),
    });
    expect(ranked[0]).toMatchObject({ choice: 'RELIABLE', costIncreasePct: 4 });
    expect(ranked[0]!.reasons.slice(0, 3)).toEqual(['accepted 19 of 20 tenders on DC-HAM>DE (95%)', 'on time 18 of 19 deliveries on DC-HAM>DE (95%)', "rate 104.00 EUR, +4.0% vs CHEAP (routing guide's next, rank 2)"]);
    // +4% cost and a lower risk than the routing guide's next carrier: inside the shipped policy.
    const rec = recommendCarrier({ recommendationId: 'R1', ranked, policy: defaultDecisionPolicy(), modelVersion: 'stand-in-test-1' });
    expect(rec).toMatchObject({ action: 'AUTO', choice: 'RELIABLE', riskScore: 0.15 });
    expect(rec.alternatives).toEqual(['CHEAP (score 0.58, risk 40.0%)']);
  });

  it('sends a much dearer recommendation to the transport planner with its reasons', () => {
    const ranked = rankCarriers({
      candidates: [
        { carrierId: 'CHEAP', rank: 2, rate: eur(100), stats: { tenders: 20, accepted: 2, shipments: 2, late: 2 } },
        { carrierId: 'PREMIUM', rank: 3, rate: eur(130), stats: { tenders: 20, accepted: 20, shipments: 20, late: 0 } },
      ],
      context,
      scorer: standInScorer(0.2),
    });
    const rec = recommendCarrier({ recommendationId: 'R2', ranked, policy: defaultDecisionPolicy(), modelVersion: 'm' });
    expect(rec).toMatchObject({ action: 'APPROVAL', choice: 'PREMIUM', approver: 'transport-planning' });
    expect(rec.checks[0]).toBe('cost +30.0% >= 5% limit');
    expect(describeRecommendation(rec)).toMatch(/^Recommended carrier PREMIUM: accepted 20 of 20 tenders .* Needs your approval \(policy 2026-11-23\.1\): cost \+30\.0% >= 5% limit/);
  });

  it('recommends nothing when every carrier was tendered', () => {
    const rec = recommendCarrier({ recommendationId: 'R3', ranked: [], policy: defaultDecisionPolicy(), modelVersion: 'm' });
    expect(rec).toMatchObject({ action: 'NONE', choice: null });
  });
});

describe('ranking alternate sites', () => {
  const sites = [
    { siteId: 'DC-HAM', canFulfil: false, distanceKm: 300, queueLength: 5 },
    { siteId: 'DC-LYS', canFulfil: true, distanceKm: 700, queueLength: 2 },
    { siteId: 'DC-WAW', canFulfil: true, distanceKm: 600, queueLength: 40 },
    { siteId: 'DC-BCN', canFulfil: false, distanceKm: 200, queueLength: 0 },
  ];
  it('ranks the sites that can ship in full, closest first, with distance, load and risk as reasons', () => {
    const ranked = rankSites({ assignedSiteId: 'DC-HAM', sites, context, destinationCountry: 'DE', scorer: standInScorer(0.1) });
    expect(ranked.map((s) => s.choice)).toEqual(['DC-WAW', 'DC-LYS']);
    expect(ranked[0]!.reasons).toEqual([
      'can ship the whole order from DC-WAW (stock short at DC-HAM)',
      '600 km to DE, +300 km vs DC-HAM',
      '40 orders queued at DC-WAW',
      'delay risk 10.0% (model stand-in-test-1; stand-in for DC-WAW +0.10)',
    ]);
  });
  it('breaks a near-tie in distance by the shorter queue', () => {
    const ranked = rankSites({ assignedSiteId: 'DC-HAM', sites: [...sites.slice(0, 2), { ...sites[2]!, distanceKm: 680 }], context, destinationCountry: 'DE', scorer: standInScorer(0.1) });
    expect(ranked.map((s) => s.choice)).toEqual(['DC-LYS', 'DC-WAW']);
  });
  it('lets the policy decide: +300 km is inside the shipped 400 km limit, a high risk is not', () => {
    const low = recommendSite({ recommendationId: 'S1', ranked: rankSites({ assignedSiteId: 'DC-HAM', sites, context, destinationCountry: 'DE', scorer: standInScorer(0.1) }), policy: defaultDecisionPolicy(), modelVersion: 'm' });
    expect(low).toMatchObject({ action: 'AUTO', choice: 'DC-WAW' });
    const high = recommendSite({ recommendationId: 'S2', ranked: rankSites({ assignedSiteId: 'DC-HAM', sites, context, destinationCountry: 'DE', scorer: standInScorer(0.9) }), policy: defaultDecisionPolicy(), modelVersion: 'm' });
    expect(high).toMatchObject({ action: 'APPROVAL', approver: 'procurement' });
  });
});
