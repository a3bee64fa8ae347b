import type { SimulationProfile } from '../../lambdas/adapters/simulators/profile';

/**
 * A small network where nothing goes wrong unless a test says so: three sites that can ship
 * anything, four carriers that accept at once, ranked C1..C4 by rate.
 */
export function quietNetwork(overrides: Partial<SimulationProfile> = {}): Partial<SimulationProfile> {
  const carrier = (carrierId: string, ratePerKg: number) => ({
    carrierId,
    acceptanceRate: 1,
    silenceRate: 0,
    responseMinutes: [30, 30] as [number, number],
    delayRate: 0,
    failedDeliveryRate: 0,
    transitHours: 24 + ratePerKg * 10,
    ratePerKg,
  });
  return {
    unknownSkuRate: 0,
    lateShipmentRate: 0,
    sites: [
      { siteId: 'DC-HAM', country: 'DE', stockShortRate: 0, distanceKm: { DE: 300 } },
      { siteId: 'DC-LYS', country: 'FR', stockShortRate: 0, distanceKm: { DE: 700 } },
      { siteId: 'DC-WAW', country: 'PL', stockShortRate: 0, distanceKm: { DE: 600 } },
    ],
    carriers: [carrier('C1', 0.1), carrier('C2', 0.2), carrier('C3', 0.3), carrier('C4', 0.4)],
    ...overrides,
  };
}
