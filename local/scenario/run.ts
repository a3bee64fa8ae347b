import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { writeFileSync } from 'node:fs';
import { DynamoDbWorkflowStore } from '../../lambdas/adapters/aws/dynamodb-store';
import { defaultProfile, type SimulationProfile } from '../../lambdas/adapters/simulators/profile';
import { sources } from '../../lambdas/contracts';
import { operationsSummary, type OperationsSummary } from '../../lambdas/insights/metrics';
import type { OrderState } from '../../lambdas/domain/order';
import type { ExceptionRecord, LogEntry, QuarantinedEvent } from '../../lambdas/ports';
import { ScaledClock, TestClock, type Clock } from '../engine';
import { held } from '../runtime/clock';
import { LocalRuntime, names } from '../runtime/runtime';
import { installOpsDesk } from './desk';
import { planReleases, releaseDetail } from './orders';
import { progressPrinter, renderReport } from './report';

export interface ScenarioOptions {
  readonly orders: number;
  readonly seed: number;
  /** Simulated seconds per real second, or 'skip' to jump over idle time (as fast as the work allows). */
  readonly speed: number | 'skip';
  /** Probability that the assigned site is short of stock. */
  readonly shortRate?: number;
  /** Probability that a carrier rejects a tender. */
  readonly rejectRate?: number;
  /** Probability of a late milestone (a delay in transit). */
  readonly lateRate?: number;
  readonly port: number;
  readonly serve: boolean;
  readonly reportJson?: string;
  /** Give up (and report what is unfinished) after this much real time. */
  readonly timeoutSeconds: number;
  readonly dataDir?: string;
  readonly inMemory?: boolean;
  readonly out: (text: string) => void;
  readonly interactive: boolean;
}

export interface ScenarioReport {
  readonly released: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly onHold: number;
  readonly openExceptions: Record<string, number>;
  readonly unaccounted: number;
  readonly unaccountedOrders: string[];
  readonly quarantined: number;
  readonly simulatedDays: number;
  readonly wallSeconds: number;
  readonly stateTransitions: number;
  readonly lambdaInvocations: Record<string, number>;
  readonly summary: OperationsSummary;
}

export function scenarioProfile(options: Pick<ScenarioOptions, 'seed' | 'shortRate' | 'rejectRate' | 'lateRate'>): SimulationProfile {
  const profile = defaultProfile(options.seed);
  return {
    ...profile,
    sites: profile.sites.map((s) => ({ ...s, stockShortRate: options.shortRate ?? s.stockShortRate })),
    carriers: profile.carriers.map((c) => ({
      ...c,
      acceptanceRate: options.rejectRate === undefined ? c.acceptanceRate : 1 - options.rejectRate,
      delayRate: options.lateRate ?? c.delayRate,
    })),
    lateShipmentRate: options.lateRate === undefined ? profile.lateShipmentRate : options.lateRate / 2,
  };
}

/** The simulated day the scenario (and the chaos run) releases its orders in. */
export const scenarioDayStart = Date.parse('2026-11-23T00:00:00Z');
/** Where the simulated clock starts: 07:00 on that day. */
export const scenarioClockStart = scenarioDayStart + 7 * 3600_000;

/** Runs a simulated day of the fulfilment network on the local runtime and reports on every order. */
export async function runScenario(options: ScenarioOptions): Promise<{ report: ScenarioReport; runtime: LocalRuntime }> {
  const clock: Clock = options.speed === 'skip' ? new TestClock({ start: scenarioClockStart }) : new ScaledClock(options.speed, scenarioClockStart);
  const profile = scenarioProfile(options);
  const started = Date.now();
  const runtime = await LocalRuntime.start({
    port: options.port,
    clock,
    fresh: true,
    dataDir: options.dataDir,
    inMemory: options.inMemory,
    handlerEnv: { SIMULATOR_PROFILE: JSON.stringify(profile) },
  });
  options.out(`AWS_ENDPOINT_URL=${runtime.endpoint}\n`);
  const client = { endpoint: runtime.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const events = new EventBridgeClient(client);
  const dynamo = new DynamoDBClient(client);
  const store = new DynamoDbWorkflowStore(names.table, dynamo);

  // Progress comes from the engine's own history events.
  let executionsStarted = 0;
  let executionsEnded = 0;
  let transitions = 0;
  runtime.engine.onEvent(({ event }) => {
    if (event.type === 'ExecutionStarted') executionsStarted++;
    else if (/^Execution(Succeeded|Failed|TimedOut|Aborted)$/.test(event.type)) executionsEnded++;
    else if (event.type.endsWith('StateEntered')) transitions++;
  });

  // The operations desk: answers ExceptionRaised as the teams would, each answer on a clock timer.
  await installOpsDesk(runtime, {
    seed: options.seed,
    store,
    events,
    answer: (due, entry) => void clock.setTimer(due, () => void held(clock, () => events.send(new PutEventsCommand({ Entries: [entry] })))),
  });

  // The ERP releases the day's orders at their times, through PutEvents like any partner.
  const releases = planReleases(options.orders, profile, scenarioDayStart);
  let released = 0;
  for (const r of releases) {
    clock.setTimer(r.at, () =>
      void held(clock, async () => {
        const at = new Date(clock.now()).toISOString();
        const detail = releaseDetail(r.order, at, 'erp-simulator');
        const out = await events.send(new PutEventsCommand({ Entries: [{ EventBusName: names.bus, Source: sources.erp, DetailType: 'OrderReleased', Detail: JSON.stringify(detail), Time: new Date(at) }] }));
        if (out.FailedEntryCount) throw new Error(`release of ${r.order.orderId} refused: ${JSON.stringify(out.Entries)}`);
        released++;
      }),
    );
  }

  const progress = () => {
    const now = new Date(clock.now()).toISOString().replace('T', ' ').slice(0, 16);
    return `[${now} sim] released ${released}/${options.orders}  workflows running ${executionsStarted - executionsEnded}  finished ${executionsEnded}  transitions ${transitions}`;
  };
  const print = progressPrinter(options.out, options.interactive);
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  while (!(released === options.orders && executionsEnded >= options.orders && executionsStarted === executionsEnded)) {
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
    print(progress(), false);
  }
  print(progress(), true);
  await runtime.bus.idle();

  const report = await buildReport(store, releases.map((r) => r.order.orderId), {
    simulatedDays: (clock.now() - scenarioClockStart) / 86_400_000,
    wallSeconds: (Date.now() - started) / 1000,
    stateTransitions: transitions,
    lambdaInvocations: runtime.runner.invocations(),
  });
  options.out(renderReport(report));
  if (options.reportJson) writeFileSync(options.reportJson, JSON.stringify(report, null, 2) + '\n');
  events.destroy();
  dynamo.destroy();
  return { report, runtime };
}

/** What buildReport read from the store. */
export interface ReportReads {
  readonly logs: Map<string, LogEntry[]>;
  readonly states: Map<string, OrderState | undefined>;
  openExceptions: ExceptionRecord[];
  quarantine: QuarantinedEvent[];
}

export const emptyReportReads = (): ReportReads => ({ logs: new Map(), states: new Map(), openExceptions: [], quarantine: [] });

export async function buildReport(
  store: DynamoDbWorkflowStore,
  orderIds: string[],
  run: Pick<ScenarioReport, 'simulatedDays' | 'wallSeconds' | 'stateTransitions' | 'lambdaInvocations'>,
  /** Filled with what the report read (each order's event log and state, the open exceptions, the quarantine), for callers that account further. */
  reads: ReportReads = emptyReportReads(),
): Promise<ScenarioReport> {
  const { logs, states } = reads;
  const finalStage = new Map<string, string>();
  const open: ExceptionRecord[] = await store.openExceptions();
  reads.openExceptions = open;
  const openByOrder = new Map<string, ExceptionRecord[]>();
  for (const e of open) openByOrder.set(e.orderId, [...(openByOrder.get(e.orderId) ?? []), e]);
  let completed = 0;
  let cancelled = 0;
  let onHold = 0;
  const unaccountedOrders: string[] = [];
  for (const orderId of orderIds) {
    const state = await store.getOrder(orderId);
    states.set(orderId, state);
    logs.set(orderId, await store.history(orderId));
    finalStage.set(orderId, state?.stage ?? 'NOT_STARTED');
    if (state?.status === 'COMPLETED') completed++;
    else if (state?.status === 'CANCELLED') cancelled++;
    else if (state?.status === 'ON_HOLD' && (openByOrder.get(orderId)?.length ?? 0) > 0) onHold++;
    else unaccountedOrders.push(orderId);
  }
  const openExceptions: Record<string, number> = {};
  for (const e of open) openExceptions[e.ownerTeam] = (openExceptions[e.ownerTeam] ?? 0) + 1;
  reads.quarantine = await store.listQuarantine();
  return {
    released: orderIds.length,
    completed,
    cancelled,
    onHold,
    openExceptions,
    unaccounted: unaccountedOrders.length,
    unaccountedOrders,
    quarantined: reads.quarantine.length,
    ...run,
    summary: operationsSummary(logs, (id) => finalStage.get(id) ?? 'UNKNOWN'),
  };
}
