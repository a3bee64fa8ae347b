import { createHash } from 'node:crypto';
import type { EventData } from '../../lambdas/contracts';
import type { SimulationProfile } from '../../lambdas/adapters/simulators/profile';

const rand = (seed: number, ...key: (string | number)[]) => createHash('sha256').update(`${seed}|${key.join('|')}`).digest().readUInt32BE(0) / 2 ** 32;

export interface PlannedRelease {
  readonly at: number;
  readonly order: EventData<'OrderReleased'>;
}

const cities: Record<string, string[]> = {
  DE: ['Berlin', 'Munich', 'Cologne', 'Leipzig'],
  FR: ['Paris', 'Lille', 'Lyon'],
  NL: ['Rotterdam', 'Utrecht'],
  BE: ['Antwerp', 'Brussels'],
  PL: ['Warsaw', 'Poznan', 'Wroclaw'],
  AT: ['Vienna', 'Linz'],
};

/**
 * The detail of the ERP's OrderReleased for `order` (event id `erp-release-<orderId>`, so a re-send is
 * a duplicate), as the scenario, the chaos run and the burst publish it.
 */
export function releaseDetail<O extends { orderId: string }>(order: O, at: string, producer: string) {
  return { schemaVersion: '1', eventId: `erp-release-${order.orderId}`, correlationId: order.orderId, occurredAt: at, producer, data: order };
}

/**
 * A business day of order releases: spread over 08:00–18:00, priorities mixed 70/20/10, the ERP
 * assigning each order to the site closest to its destination. Deterministic for a seed.
 */
export function planReleases(count: number, profile: SimulationProfile, dayStart: number): PlannedRelease[] {
  const { seed } = profile;
  const releases: PlannedRelease[] = [];
  for (let i = 0; i < count; i++) {
    const orderId = `SO-${String(seed).padStart(3, '0')}-${String(i + 1).padStart(5, '0')}`;
    const at = dayStart + 8 * 3600_000 + Math.floor((i / count) * 10 * 3600_000 + rand(seed, i, 'jitter') * 60_000);
    const countries = profile.servedCountries;
    const country = countries[Math.floor(rand(seed, i, 'country') * countries.length)]!;
    const site = [...profile.sites].sort((a, b) => (a.distanceKm[country] ?? 9e9) - (b.distanceKm[country] ?? 9e9))[0]!;
    const p = rand(seed, i, 'priority');
    const priority = p < 0.7 ? 'STANDARD' : p < 0.9 ? 'PRIORITY' : 'EXPRESS';
    const shipDays = priority === 'EXPRESS' ? 0.4 : 1;
    const transitDays = priority === 'STANDARD' ? 3 : 2;
    const lineCount = 1 + Math.floor(rand(seed, i, 'lines') * 6);
    const cityList = cities[country] ?? ['Capital'];
    releases.push({
      at,
      order: {
        orderId,
        customerId: `CUST-${1 + Math.floor(rand(seed, i, 'customer') * 60)}`,
        customerPriority: priority,
        siteId: site.siteId,
        shipTo: { name: `Customer ${i + 1}`, line1: `${1 + (i % 90)} Main Street`, city: cityList[i % cityList.length]!, postalCode: String(10000 + i), country },
        requestedShipDate: new Date(at + shipDays * 86_400_000).toISOString(),
        promisedDeliveryDate: new Date(at + (shipDays + transitDays) * 86_400_000).toISOString(),
        lines: Array.from({ length: lineCount }, (_, l) => ({
          lineNo: l + 1,
          sku: `SKU-${1000 + Math.floor(rand(seed, i, 'sku', l) * 400)}`,
          quantity: 1 + Math.floor(rand(seed, i, 'qty', l) * 20),
          uom: 'EA',
        })),
        orderValue: { amount: Math.round(200 + rand(seed, i, 'value') * 4800), currency: 'EUR' },
      },
    });
  }
  return releases;
}
