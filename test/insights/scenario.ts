import type { LogEntry } from '../../lambdas/ports';
import { orderReleased } from '../support/orders';
import { World } from '../workflows/world';
import type { LocalDynamo } from '../support/dynalite';

/**
 * A real run of the order-to-ship workflow on the local engine (the workflow tests' World): a
 * network where things go wrong at realistic rates, people who answer most exceptions, and orders
 * released through the day. Its event log is what the report and the exports are tested on.
 */
export interface ScenarioRun {
  readonly world: World;
  readonly dynamo: LocalDynamo;
  readonly orderIds: string[];
  readonly logs: Map<string, LogEntry[]>;
}

export async function runScenario(orders = 16): Promise<ScenarioRun> {
  const world = await World.create({
    seed: 11,
    unknownSkuRate: 0.05,
    lateShipmentRate: 0.1,
    sites: [
      { siteId: 'DC-HAM', country: 'DE', stockShortRate: 0.25, distanceKm: { DE: 300, FR: 900 } },
      { siteId: 'DC-LYS', country: 'FR', stockShortRate: 0.1, distanceKm: { DE: 700, FR: 350 } },
    ],
    carriers: [
      { carrierId: 'DHLF', acceptanceRate: 0.6, silenceRate: 0.15, responseMinutes: [10, 90], delayRate: 0.25, failedDeliveryRate: 0.05, transitHours: 30, ratePerKg: 0.32 },
      { carrierId: 'DBSK', acceptanceRate: 0.7, silenceRate: 0.1, responseMinutes: [20, 150], delayRate: 0.2, failedDeliveryRate: 0, transitHours: 36, ratePerKg: 0.28 },
      { carrierId: 'GEOD', acceptanceRate: 0.5, silenceRate: 0.1, responseMinutes: [15, 120], delayRate: 0.1, failedDeliveryRate: 0, transitHours: 40, ratePerKg: 0.25 },
    ],
  });
  // People answer most exceptions; procurement does not, so backorders go on hold with an open exception.
  world.people = (ask) => {
    if (ask.category === 'CARRIER_CAPACITY') return { resolution: 'APPROVE_ALTERNATE_CARRIER', extra: { carrierId: 'GEOD' } };
    if (ask.category === 'STOCK_SHORT') return undefined;
    if (ask.category === 'DATA_QUALITY') return { resolution: 'CANCEL' };
    return { resolution: 'CONTINUE' };
  };
  const orderIds: string[] = [];
  const arns: string[] = [];
  for (let i = 0; i < orders; i++) {
    const orderId = `O-${String(i + 1).padStart(3, '0')}`;
    orderIds.push(orderId);
    const now = world.clock.now();
    arns.push(
      await world.release({
        ...orderReleased(orderId, {
          siteId: i % 3 === 0 ? 'DC-LYS' : 'DC-HAM',
          requestedShipDate: new Date(now + (20 + (i % 4) * 6) * 3600_000).toISOString(),
          promisedDeliveryDate: new Date(now + (60 + (i % 3) * 12) * 3600_000).toISOString(),
          lines: [{ lineNo: 1, sku: `SKU-${100 + i}`, quantity: 1 + (i % 5), uom: 'EA' }],
        }),
      }),
    );
  }
  await Promise.all(arns.map((arn) => world.finish(arn)));
  await world.settle();
  const logs = new Map<string, LogEntry[]>();
  for (const id of orderIds) logs.set(id, await world.deps.store.history(id));
  const dynamo = (world as unknown as { dynamo: LocalDynamo }).dynamo;
  return { world, dynamo, orderIds, logs };
}
