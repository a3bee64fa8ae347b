/**
 * The local runtime end to end: N orders released at once through PutEvents on the happy path
 * (every partner answers at once), run to invoice on a time-skipping clock. Reports orders per
 * second, event-to-first-task latency, state transitions, Lambda invocations and DynamoDB writes
 * per order; and in the same run the two ceilings: the engine alone on the same ASL with no-op
 * tasks, and dynalite alone at the writes one order needs.
 *
 *   npx tsx scripts/bench-runtime.ts [orders=200]
 */
import '../local/quiet-sdk-warning';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { simulationProfile } from '../lambdas/adapters/simulators/profile';
import { sources } from '../lambdas/contracts';
import { Engine, MemoryExecutionStore, TestClock } from '../local/engine';
import { LocalRuntime, names } from '../local/runtime/runtime';
import { planReleases } from '../local/scenario/orders';
import { localDefinition } from '../local/runtime/definition';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (o: Record<string, unknown>) => Server;

const writeOps = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'];
const pct = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

/** Every partner answers at once and nothing goes wrong: the happy path only. */
export function happyProfile(seed = 1) {
  return simulationProfile.parse({
    seed,
    unknownSkuRate: 0,
    lateShipmentRate: 0,
    pickMinutes: [0, 0],
    sites: [{ siteId: 'DC-HAM', country: 'DE', stockShortRate: 0, distanceKm: { DE: 300, FR: 900, NL: 400, BE: 550, PL: 700, AT: 900 } }],
    carriers: [{ carrierId: 'FAST', acceptanceRate: 1, silenceRate: 0, responseMinutes: [0, 0], delayRate: 0, failedDeliveryRate: 0, transitHours: 1, ratePerKg: 0.3 }],
  });
}

export interface RuntimeBench {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  firstTaskLatencyMs: { p50: number; p99: number };
  transitionsPerOrder: number;
  lambdaInvocationsPerOrder: number;
  dynamoWritesPerOrder: number;
  dynamoReadsPerOrder: number;
  /** DynamoDB requests per order by operation (PutItem, GetItem, ...). */
  dynamoRequestsPerOrder: Record<string, number>;
}

export async function benchRuntime(orders: number): Promise<RuntimeBench> {
  const clock = new TestClock({ start: Date.parse('2026-11-23T07:00:00Z') });
  const profile = happyProfile();
  const runtime = await LocalRuntime.start({ port: 0, clock, inMemory: true, handlerEnv: { SIMULATOR_PROFILE: JSON.stringify(profile) } });
  const events = new EventBridgeClient({ endpoint: runtime.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' } });
  const releases = planReleases(orders, profile, Date.parse('2026-11-23T00:00:00Z'));
  const publishedAt = new Map<string, number>();
  const firstTask = new Map<string, number>();
  let ended = 0;
  let transitions = 0;
  let allDone!: () => void;
  const done = new Promise<void>((r) => (allDone = r));
  runtime.engine.onEvent(({ executionArn, event }) => {
    if (event.type.endsWith('StateEntered')) transitions++;
    const name = executionArn.split(':').pop()!;
    if (event.type === 'TaskScheduled' && !firstTask.has(name)) firstTask.set(name, performance.now());
    if (/^Execution(Succeeded|Failed|TimedOut|Aborted)$/.test(event.type) && ++ended === orders) allDone();
  });
  const release = clock.hold();
  const t0 = performance.now();
  for (let i = 0; i < releases.length; i += 10) {
    const batch = releases.slice(i, i + 10);
    for (const r of batch) publishedAt.set(r.order.orderId, performance.now());
    await events.send(
      new PutEventsCommand({
        Entries: batch.map((r) => ({
          EventBusName: names.bus,
          Source: sources.erp,
          DetailType: 'OrderReleased',
          Detail: JSON.stringify({ schemaVersion: '1', eventId: `bench-${r.order.orderId}`, correlationId: r.order.orderId, occurredAt: new Date(clock.now()).toISOString(), producer: 'bench', data: r.order }),
        })),
      }),
    );
  }
  release();
  await done;
  const seconds = (performance.now() - t0) / 1000;
  const latencies = [...firstTask].map(([name, at]) => at - (publishedAt.get(name) ?? at)).sort((a, b) => a - b);
  const counts = runtime.dynamoRequests;
  const dynamo = (ops: string[]) => ops.reduce((n, op) => n + (counts.get(op) ?? 0), 0);
  const invocations = Object.entries(runtime.runner.invocations()).reduce((n, [, v]) => n + v, 0);
  events.destroy();
  await runtime.stop();
  return {
    orders,
    seconds,
    ordersPerSecond: orders / seconds,
    firstTaskLatencyMs: { p50: pct(latencies, 50), p99: pct(latencies, 99) },
    transitionsPerOrder: transitions / orders,
    lambdaInvocationsPerOrder: invocations / orders,
    dynamoWritesPerOrder: dynamo(writeOps) / orders,
    dynamoReadsPerOrder: dynamo(['GetItem', 'Query', 'Scan', 'BatchGetItem']) / orders,
    dynamoRequestsPerOrder: Object.fromEntries([...counts].filter(([op]) => op).sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => [op, n / orders])),
  };
}

/** Canned task results that walk the happy path; token tasks are answered at once. */
function noopResult(fn: string, payload: Record<string, unknown>): unknown {
  switch (fn) {
    case 'RecordStage':
      return { order: { orderId: payload.orderId, siteId: 'DC-HAM' }, sla: { tenderResponseSeconds: 14400, extensionSeconds: 43200, maxExtensions: 3, shipBy: '2024-01-05T00:00:00Z', deliverBy: '2024-01-09T00:00:00Z' } };
    case 'ValidateOrder':
      return { valid: true, issues: [] };
    case 'CheckInventory':
      return { outcome: 'ALLOCATED', siteId: 'DC-HAM' };
    case 'PlanLoad':
      return { loadId: 'L', lane: 'X', carriers: [{ carrierId: 'FAST', rank: 1 }], maxTenders: 3 };
    case 'TenderLoad':
      return { outcome: 'ACCEPTED', carrierId: 'FAST', tenderId: 'T', pickupAt: null };
    case 'AwaitEvent':
      return payload.kind === 'SHIP_CONFIRMATION' ? { outcome: 'SHIPPED', shipmentId: 'S', carrierId: 'FAST' } : { outcome: 'DELIVERED' };
    default:
      return {};
  }
}

/** The engine alone on the product's ASL, with no-op tasks: the ceiling the runtime cannot beat. */
export async function benchEngineCeiling(orders: number, definition: string): Promise<number> {
  let engine!: Engine;
  const clock = new TestClock();
  engine = await Engine.start({
    store: new MemoryExecutionStore(),
    clock,
    integrations: {
      invokeLambda: async (request) => {
        const fn = request.functionName.split(':').pop()!;
        const payload = request.payload as Record<string, unknown>;
        const result = noopResult(fn, payload);
        if (typeof payload.taskToken === 'string') {
          const token = payload.taskToken;
          // The answer comes "later" but before any timer: hold the skipping clock until it is in.
          const release = clock.hold();
          setImmediate(() => void engine.sendTaskSuccess({ taskToken: token, output: JSON.stringify(result) }).finally(release));
          return { payload: {} };
        }
        return { payload: result };
      },
    },
  });
  const { stateMachineArn } = await engine.createStateMachine({ name: 'ceiling', definition, roleArn: 'arn:aws:iam::000000000000:role/x' });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: orders }, async (_, i) => {
      const { executionArn } = await engine.startExecution({ stateMachineArn, name: `O-${i}`, input: JSON.stringify({ orderId: `O-${i}` }) });
      const out = await engine.waitForExecution(executionArn);
      if (out.status !== 'SUCCEEDED') {
        const history = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
        const failed = (history.events as Array<Record<string, unknown>>).filter((e) => String(e.type).endsWith('Failed')).map((e) => JSON.stringify(e).slice(0, 300));
        throw new Error(`ceiling run ${i}: ${out.status} ${out.error}: ${failed.join(' | ')}`);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await engine.close();
  return orders / seconds;
}

/** dynalite alone, at the writes one order needs: orders per second it could store. */
export async function benchDynaliteCeiling(orders: number, writesPerOrder: number, concurrency = 20): Promise<number> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' } });
  await client.send(new CreateTableCommand({ TableName: 'bench', AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }], BillingMode: 'PAY_PER_REQUEST' }));
  const total = Math.round(orders * writesPerOrder);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        await client.send(new PutItemCommand({ TableName: 'bench', Item: { PK: { S: `ORDER#${i % orders}` }, SK: { S: `EVT#${i}` }, at: { S: new Date().toISOString() }, details: { S: 'x'.repeat(200) } } }));
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  client.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  return orders / seconds;
}

export async function runRuntimeBench(orders: number) {
  const runtimeResult = await benchRuntime(orders);
  const definition = localDefinition((id) => `arn:aws:lambda:us-east-1:000000000000:function:${id}`);
  const engineCeiling = await benchEngineCeiling(orders, definition);
  const dynaliteCeiling = await benchDynaliteCeiling(orders, runtimeResult.dynamoWritesPerOrder);
  const lower = Math.min(engineCeiling, dynaliteCeiling);
  return { ...runtimeResult, engineCeilingOrdersPerSecond: engineCeiling, dynaliteCeilingOrdersPerSecond: dynaliteCeiling, ratioToLowerCeiling: runtimeResult.ordersPerSecond / lower };
}

if (require.main === module) {
  const orders = Number(process.argv[2] ?? 200);
  runRuntimeBench(orders).then((r) => {
    console.log(`Local runtime, happy path, ${r.orders} orders released at once (time-skipping clock):`);
    console.log(`  end to end            ${r.ordersPerSecond.toFixed(1)} orders/s (${r.seconds.toFixed(1)} s)`);
    console.log(`  event to first task   p50 ${r.firstTaskLatencyMs.p50.toFixed(0)} ms, p99 ${r.firstTaskLatencyMs.p99.toFixed(0)} ms`);
    console.log(`  per order             ${r.transitionsPerOrder.toFixed(1)} state transitions, ${r.lambdaInvocationsPerOrder.toFixed(1)} Lambda invocations, ${r.dynamoWritesPerOrder.toFixed(1)} DynamoDB writes, ${r.dynamoReadsPerOrder.toFixed(1)} reads`);
    console.log(`  DynamoDB per order    ${Object.entries(r.dynamoRequestsPerOrder).map(([op, n]) => `${op} ${n.toFixed(1)}`).join(', ')}`);
    console.log(`  ceiling: engine alone ${r.engineCeilingOrdersPerSecond.toFixed(1)} orders/s (same ASL, no-op tasks)`);
    console.log(`  ceiling: dynalite     ${r.dynaliteCeilingOrdersPerSecond.toFixed(1)} orders/s (${r.dynamoWritesPerOrder.toFixed(1)} writes each)`);
    console.log(`  ratio to the lower ceiling: ${r.ratioToLowerCeiling.toFixed(2)} (target >= 0.5)`);
  });
}
