/**
 * The local runtime end to end: N orders released at once through PutEvents on the happy path
 * (every partner answers at once), run to invoice on a time-skipping clock. Reports orders per
 * second, event-to-first-task latency, state transitions, Lambda invocations and DynamoDB writes
 * per order; and in the same run the two ceilings: the engine alone on the same ASL with no-op
 * tasks, and dynalite alone at the writes the orders needed. That ceiling replays the very write
 * requests the run sent (same items, conditions and table with its indexes, in the order they were
 * sent) against a fresh dynalite. Printed beside it for comparison: dynalite replaying all the
 * run's DynamoDB requests (reads too), and the earlier ceiling, as many 200-byte PutItems into a
 * table without indexes.
 *
 *   npx tsx scripts/bench-runtime.ts [orders=200] [rounds=3]
 */
import '../local/quiet-sdk-warning';
import { BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { simulationProfile } from '../lambdas/adapters/simulators/profile';
import { sources } from '../lambdas/contracts';
import { Engine, MemoryExecutionStore, TestClock } from '../local/engine';
import { LocalRuntime, names } from '../local/runtime/runtime';
import { planReleases } from '../local/scenario/orders';
import { localDefinition } from '../local/runtime/definition';
import { workflowTableDefinition } from '../lambdas/adapters/dynamodb-table';
import { sdkClientOptions } from '../lambdas/adapters/aws/sdk-options';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (o: Record<string, unknown>) => Server;

const writeOps = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'] as const;
const readOps = ['GetItem', 'BatchGetItem', 'Query'] as const;
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
  /** CPU time the runtime's process spent per order (all its threads), from the first release to the last execution's end. */
  cpuMsPerOrder: number;
  firstTaskLatencyMs: { p50: number; p99: number };
  transitionsPerOrder: number;
  lambdaInvocationsPerOrder: number;
  dynamoWritesPerOrder: number;
  dynamoReadsPerOrder: number;
  /** DynamoDB requests per order by operation (PutItem, GetItem, ...). */
  dynamoRequestsPerOrder: Record<string, number>;
  /** The data requests (writes, and reads by key or query) the run sent to dynalite, in order: [operation, JSON body]. */
  requests: Array<[DataOp, string]>;
}

type WriteOp = (typeof writeOps)[number];
type DataOp = WriteOp | (typeof readOps)[number];
const isWrite = (op: string): op is WriteOp => (writeOps as readonly string[]).includes(op);
const isData = (op: string): op is DataOp => isWrite(op) || (readOps as readonly string[]).includes(op);

/** CPU time (user and system, all threads) this process spent since `since`, per order, in ms. */
function cpuMsPerOrder(since: NodeJS.CpuUsage, orders: number): number {
  const cpu = process.cpuUsage(since);
  return (cpu.user + cpu.system) / 1000 / orders;
}

export async function benchRuntime(orders: number): Promise<RuntimeBench> {
  const clock = new TestClock({ start: Date.parse('2026-11-23T07:00:00Z') });
  const profile = happyProfile();
  const runtime = await LocalRuntime.start({ port: 0, clock, inMemory: true, handlerEnv: { SIMULATOR_PROFILE: JSON.stringify(profile) } });
  const requests: Array<[DataOp, string]> = [];
  runtime.tapDynamo((op, body) => {
    if (isData(op)) requests.push([op, body]);
  });
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
  const cpu0 = process.cpuUsage();
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
  const cpuMs = cpuMsPerOrder(cpu0, orders);
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
    cpuMsPerOrder: cpuMs,
    firstTaskLatencyMs: { p50: pct(latencies, 50), p99: pct(latencies, 99) },
    transitionsPerOrder: transitions / orders,
    lambdaInvocationsPerOrder: invocations / orders,
    dynamoWritesPerOrder: dynamo([...writeOps]) / orders,
    dynamoReadsPerOrder: dynamo([...readOps, 'Scan']) / orders,
    dynamoRequestsPerOrder: Object.fromEntries([...counts].filter(([op]) => op).sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => [op, n / orders])),
    requests,
  };
}

/** Canned task results that walk the happy path; token tasks are answered at once. */
function noopResult(fn: string, payload: Record<string, unknown>): unknown {
  switch (fn) {
    case 'RecordStage':
      return { order: { orderId: payload.orderId, siteId: 'DC-HAM', destinationCountry: 'DE' }, sla: { tenderResponseSeconds: 14400, extensionSeconds: 43200, maxExtensions: 3, shipBy: '2024-01-05T00:00:00Z', deliverBy: '2024-01-09T00:00:00Z' } };
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

/** A fresh in-memory dynalite with a client on it. */
async function freshDynalite() {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  // Built like the product's clients (the same options), so the ceiling is not slowed by a setting the runtime does without.
  const client = new DynamoDBClient({ ...sdkClientOptions, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'us-east-1', credentials: { accessKeyId: 'b', secretAccessKey: 'b' } });
  const close = async () => {
    client.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return { client, close };
}

/** Sends `total` requests from `concurrency` callers in turn; returns the seconds taken. */
async function drive(total: number, concurrency: number, send: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await send(next++);
    }),
  );
  return (performance.now() - t0) / 1000;
}

const commands: Record<DataOp, new (input: never) => PutItemCommand | UpdateItemCommand | DeleteItemCommand | BatchWriteItemCommand | GetItemCommand | BatchGetItemCommand | QueryCommand> = {
  PutItem: PutItemCommand,
  UpdateItem: UpdateItemCommand,
  DeleteItem: DeleteItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
  GetItem: GetItemCommand,
  BatchGetItem: BatchGetItemCommand,
  Query: QueryCommand,
};

/**
 * dynalite alone at the writes the orders needed: the run's own write requests (with `reads`, its
 * reads as well), replayed in the order they were sent against a fresh dynalite holding the
 * product's table (with its indexes). A write whose condition fails here failed in the run as well,
 * or lost a race there that it wins here: either way dynalite did the same work. Returns orders per
 * second, and the CPU time this process (client and dynalite) spent per order.
 */
export async function benchDynaliteReplay(orders: number, sent: ReadonlyArray<[DataOp, string]>, options: { reads?: boolean; concurrency?: number } = {}): Promise<{ ordersPerSecond: number; cpuMsPerOrder: number }> {
  const { client, close } = await freshDynalite();
  await client.send(new CreateTableCommand({ TableName: names.table, ...workflowTableDefinition } as never));
  const concurrency = options.concurrency ?? 20;
  const requests = sent.filter(([op]) => options.reads || isWrite(op)).map(([op, body]) => new commands[op](JSON.parse(body) as never));
  const cpu0 = process.cpuUsage();
  const seconds = await drive(requests.length, concurrency, (i) => client.send(requests[i] as never).catch((error: Error) => {
    if (error.name !== 'ConditionalCheckFailedException') throw error;
  }));
  const cpuMs = cpuMsPerOrder(cpu0, orders);
  await close();
  return { ordersPerSecond: orders / seconds, cpuMsPerOrder: cpuMs };
}

/** The earlier, synthetic ceiling: as many 200-byte PutItems per order into a table without indexes. */
export async function benchDynaliteSynthetic(orders: number, writesPerOrder: number, concurrency = 20): Promise<number> {
  const { client, close } = await freshDynalite();
  await client.send(new CreateTableCommand({ TableName: 'bench', AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }, { AttributeName: 'SK', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }], BillingMode: 'PAY_PER_REQUEST' }));
  const seconds = await drive(Math.round(orders * writesPerOrder), concurrency, (i) =>
    client.send(new PutItemCommand({ TableName: 'bench', Item: { PK: { S: `ORDER#${i % orders}` }, SK: { S: `EVT#${i}` }, at: { S: new Date().toISOString() }, details: { S: 'x'.repeat(200) } } })),
  );
  await close();
  return orders / seconds;
}

/**
 * One runtime round in a process of its own: handlers keep their SDK clients for the life of the
 * process (as in a Lambda container), so a second runtime in the same process would find them
 * pointed at the first one's endpoints.
 */
function runtimeRoundInChild(orders: number): RuntimeBench {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runtime-'));
  const out = join(dir, 'round.json');
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--round', String(orders), out], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    if (child.status !== 0) throw new Error(`runtime round failed (exit ${child.status ?? child.signal})`);
    return JSON.parse(readFileSync(out, 'utf8')) as RuntimeBench;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Rounds of: the runtime on `orders` orders, then dynalite replaying that round's writes, then
 * replaying all its DynamoDB requests (reads too: for comparison), then the synthetic dynalite
 * ceiling. Alternating keeps a slow spell of this shared machine from landing on
 * one side only; the ratio is of the medians (the engine ceiling, far above, is measured once).
 */
export async function runRuntimeBench(orders: number, rounds = 3, onRound?: (round: number, r: { ordersPerSecond: number; dynaliteCeiling: number; ratio: number; cpuRatio: number }) => void) {
  const runs: Array<Omit<RuntimeBench, 'requests'>> = [];
  const replayed: number[] = [];
  const replayedCpu: number[] = [];
  const replayedAll: number[] = [];
  const synthetic: number[] = [];
  const roundRatios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const { requests, ...run } = runtimeRoundInChild(orders);
    runs.push(run);
    const ceiling = await benchDynaliteReplay(orders, requests);
    replayed.push(ceiling.ordersPerSecond);
    replayedCpu.push(ceiling.cpuMsPerOrder);
    replayedAll.push((await benchDynaliteReplay(orders, requests, { reads: true })).ordersPerSecond);
    synthetic.push(await benchDynaliteSynthetic(orders, run.dynamoWritesPerOrder));
    roundRatios.push(run.ordersPerSecond / ceiling.ordersPerSecond);
    onRound?.(round, { ordersPerSecond: run.ordersPerSecond, dynaliteCeiling: ceiling.ordersPerSecond, ratio: roundRatios[round - 1], cpuRatio: ceiling.cpuMsPerOrder / run.cpuMsPerOrder });
  }
  const definition = localDefinition((id) => `arn:aws:lambda:us-east-1:000000000000:function:${id}`);
  const engineCeiling = await benchEngineCeiling(orders, definition);
  const ordersPerSecond = median(runs.map((r) => r.ordersPerSecond));
  const typical = runs.find((r) => r.ordersPerSecond === ordersPerSecond)!;
  const dynaliteCeiling = median(replayed);
  const syntheticCeiling = median(synthetic);
  const allRequestsCeiling = median(replayedAll);
  const runtimeCpu = median(runs.map((r) => r.cpuMsPerOrder));
  const ceilingCpu = median(replayedCpu);
  return {
    ...typical,
    /** CPU per order, medians of the rounds: the runtime's process, and the replayed-writes ceiling's. */
    runtimeCpuMsPerOrder: runtimeCpu,
    dynaliteCeilingCpuMsPerOrder: ceilingCpu,
    /** The ratio by CPU time (the ceiling's CPU per order over the runtime's): less sensitive than wall time to the machine's other load, not immune to it. */
    cpuRatioToDynaliteCeiling: ceilingCpu / runtimeCpu,
    rounds,
    roundRatios,
    engineCeilingOrdersPerSecond: engineCeiling,
    dynaliteCeilingOrdersPerSecond: dynaliteCeiling,
    syntheticDynaliteCeilingOrdersPerSecond: syntheticCeiling,
    allRequestsDynaliteCeilingOrdersPerSecond: allRequestsCeiling,
    ratioToAllRequestsCeiling: ordersPerSecond / Math.min(engineCeiling, allRequestsCeiling),
    ratioToLowerCeiling: ordersPerSecond / Math.min(engineCeiling, dynaliteCeiling),
    ratioToSyntheticCeiling: ordersPerSecond / Math.min(engineCeiling, syntheticCeiling),
  };
}

if (require.main === module && process.argv[2] === '--round') {
  benchRuntime(Number(process.argv[3])).then((r) => writeFileSync(process.argv[4], JSON.stringify(r)));
} else if (require.main === module) {
  const orders = Number(process.argv[2] ?? 200);
  const rounds = Number(process.argv[3] ?? 3);
  console.log(`Local runtime, happy path, ${orders} orders released at once (time-skipping clock), ${rounds} rounds:`);
  runRuntimeBench(orders, rounds, (round, r) =>
    console.log(`  round ${round}: runtime ${r.ordersPerSecond.toFixed(1)} orders/s, dynalite ceiling ${r.dynaliteCeiling.toFixed(1)} orders/s, ratio ${r.ratio.toFixed(2)} (by CPU time ${r.cpuRatio.toFixed(2)})`),
  ).then((r) => {
    console.log(`  end to end            ${r.ordersPerSecond.toFixed(1)} orders/s, median of ${r.rounds} rounds (${r.seconds.toFixed(1)} s)`);
    console.log(`  event to first task   p50 ${r.firstTaskLatencyMs.p50.toFixed(0)} ms, p99 ${r.firstTaskLatencyMs.p99.toFixed(0)} ms`);
    console.log(`  per order             ${r.transitionsPerOrder.toFixed(1)} state transitions, ${r.lambdaInvocationsPerOrder.toFixed(1)} Lambda invocations, ${r.dynamoWritesPerOrder.toFixed(1)} DynamoDB writes, ${r.dynamoReadsPerOrder.toFixed(1)} reads`);
    console.log(`  DynamoDB per order    ${Object.entries(r.dynamoRequestsPerOrder).map(([op, n]) => `${op} ${n.toFixed(1)}`).join(', ')}`);
    console.log(`  ceiling: engine alone ${r.engineCeilingOrdersPerSecond.toFixed(1)} orders/s (same ASL, no-op tasks)`);
    console.log(`  ceiling: dynalite     ${r.dynaliteCeilingOrdersPerSecond.toFixed(1)} orders/s, median (each round's ${r.dynamoWritesPerOrder.toFixed(1)} writes per order, replayed)`);
    console.log(`  ratio to the lower ceiling: ${r.ratioToLowerCeiling.toFixed(2)} (target >= 0.5; rounds ${r.roundRatios.map((x) => x.toFixed(2)).join(', ')})`);
    console.log(`  by CPU time           runtime ${r.runtimeCpuMsPerOrder.toFixed(0)} ms per order, dynalite ceiling ${r.dynaliteCeilingCpuMsPerOrder.toFixed(0)} ms, ratio ${r.cpuRatioToDynaliteCeiling.toFixed(2)} (medians; steadier than wall time on a shared machine)`);
    console.log(`  for comparison, dynalite at all the run's DynamoDB requests (reads too, ${(r.dynamoWritesPerOrder + r.dynamoReadsPerOrder).toFixed(1)} per order, replayed): ${r.allRequestsDynaliteCeilingOrdersPerSecond.toFixed(1)} orders/s, ratio ${r.ratioToAllRequestsCeiling.toFixed(2)}`);
    console.log(`  for comparison, the earlier synthetic dynalite ceiling (200-byte PutItems, no indexes): ${r.syntheticDynaliteCeilingOrdersPerSecond.toFixed(1)} orders/s, ratio ${r.ratioToSyntheticCeiling.toFixed(2)}`);
  });
}
