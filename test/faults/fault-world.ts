import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { faultProfile, type SimulationProfile } from '../../lambdas/adapters/simulators/profile';
import type { LocalDynamo } from '../support/dynalite';
import { orderReleased } from '../support/orders';
import { quietNetwork } from '../workflows/network';
import { World } from '../workflows/world';

type FaultInput = Parameters<typeof faultProfile.parse>[0];

/** The quiet network of the workflow tests, with only the faults a test injects. */
export function network(faults: FaultInput = {}, overrides: Partial<SimulationProfile> = {}): Partial<SimulationProfile> {
  return quietNetwork({ faults: faultProfile.parse(faults), ...overrides });
}

export const release = (world: World, orderId: string) =>
  world.release(
    orderReleased(orderId, {
      requestedShipDate: new Date(world.clock.now() + 24 * 3600_000).toISOString(),
      promisedDeliveryDate: new Date(world.clock.now() + 4 * 24 * 3600_000).toISOString(),
    }),
  );

/** The side-effect ledger of an order (`FX#<kind>#<key>` items), as `kind` → keys. */
export async function ledger(world: World, orderId: string): Promise<Record<string, string[]>> {
  const dynamo = (world as unknown as { dynamo: LocalDynamo }).dynamo;
  const doc = DynamoDBDocumentClient.from(dynamo.client);
  const out = await doc.send(new QueryCommand({ TableName: dynamo.tableName, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :fx)', ExpressionAttributeValues: { ':pk': `ORDER#${orderId}`, ':fx': 'FX#' }, ConsistentRead: true }));
  const byKind: Record<string, string[]> = {};
  for (const item of out.Items ?? []) (byKind[item.kind as string] ??= []).push(item.key as string);
  return byKind;
}

/** Failures the state machine saw from task Lambdas whose error names SystemUnavailable. */
export async function systemFailures(world: World, executionArn: string): Promise<string[]> {
  const history = await world.engine.getExecutionHistory({ executionArn, maxResults: 1000 });
  return (history.events as Array<{ type: string }>)
    .filter((e) => e.type.endsWith('Failed') && JSON.stringify(e).includes('SystemUnavailable'))
    .map((e) => JSON.stringify(e));
}

/** Lets every pending timer (late partner events) fire and its delivery finish. */
export async function drain(world: World, maxMs = 10_000): Promise<void> {
  const started = Date.now();
  let stable = 0;
  let seen = -1;
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 25));
    const quiet = world.clock.pendingTimers === 0 && world.correlations.length === seen;
    seen = world.correlations.length;
    stable = quiet ? stable + 1 : 0;
    if (stable >= 4) return;
  }
}

/** Customer notifications by topic: how many times each was sent. */
export function customerTopics(world: World, orderId: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of world.notifications) if (n.orderId === orderId && n.to.startsWith('customer:')) counts[n.topic] = (counts[n.topic] ?? 0) + 1;
  return counts;
}
