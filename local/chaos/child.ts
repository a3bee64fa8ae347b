/**
 * The runtime a chaos run kills: the local runtime on a data directory with every fault on, the
 * operations desk answering through durable one-time schedules, and (on a fresh start) the day's
 * order releases created as one-time schedules too, so everything the run has been promised is in
 * the runtime's journal. Prints one status line (`chaos-status {json}`) to stdout every 250 ms and
 * keeps serving until killed.
 *   node --import tsx local/chaos/child.ts --data-dir DIR --orders N --seed S [--port P] [--fresh]
 */
import '../quiet-sdk-warning';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDbWorkflowStore } from '../../lambdas/adapters/aws/dynamodb-store';
import { sources } from '../../lambdas/contracts';
import { TestClock } from '../engine';
import { LocalRuntime, names } from '../runtime/runtime';
import { installOpsDesk } from '../scenario/desk';
import { planReleases, releaseDetail } from '../scenario/orders';
import { scenarioClockStart, scenarioDayStart } from '../scenario/run';
import { chaosProfile } from './profile';
import { statusPrefix, type ChildStatus } from './status';

const releaseGroup = 'chaos-releases';
const opsGroup = 'chaos-ops-desk';
const role = 'arn:aws:iam::000000000000:role/chaos';

const at = (ms: number) => `at(${new Date(ms).toISOString().slice(0, 19)})`;

async function main(): Promise<void> {
  const { values: v } = parseArgs({ options: { 'data-dir': { type: 'string' }, orders: { type: 'string' }, seed: { type: 'string' }, port: { type: 'string' }, fresh: { type: 'boolean' } } });
  const dataDir = v['data-dir']!;
  const seed = Number(v.seed ?? 42);
  const orders = Number(v.orders ?? 1000);
  const fresh = v.fresh ?? false;
  const profile = chaosProfile(seed, join(dataDir, 'partners.jsonl'));
  const clock = new TestClock({ start: scenarioClockStart });
  // The desk's rule and (on a fresh start) the day's releases are wired before any handler runs, so
  // an ExceptionRaised published by an execution resumed from disk finds the desk.
  const wire = async (runtime: LocalRuntime) => {
    const client = { endpoint: runtime.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
    const busArn = runtime.bus.busArn(names.bus);
    const oneTime = (name: string, group: string, dueMs: number, source: string, detailType: string, detail: string) => {
      try {
        runtime.scheduler.createSchedule(name, {
          GroupName: group,
          ScheduleExpression: at(dueMs),
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: { Arn: busArn, RoleArn: role, EventBridgeParameters: { Source: source, DetailType: detailType }, Input: detail },
        });
      } catch (error) {
        // Already scheduled (the desk asked twice about one exception): one answer is enough.
        if ((error as Error).name !== 'ConflictException') throw error;
      }
    };
    countSuppressedDuplicates(runtime, join(dataDir, 'suppressed.jsonl'));
    await installOpsDesk(runtime, {
      seed,
      store: new DynamoDbWorkflowStore(names.table, new DynamoDBClient(client)),
      events: new EventBridgeClient(client),
      answer: (due, entry, ask) => oneTime(`ops-${createHash('sha256').update(ask.exceptionId).digest('hex').slice(0, 40)}`, opsGroup, due, entry.Source, entry.DetailType, entry.Detail),
    });
    if (!fresh) return;
    // The ERP's day of releases, each a schedule that puts OrderReleased on the bus at its time.
    for (const r of planReleases(orders, profile, scenarioDayStart)) {
      oneTime(`release-${r.order.orderId}`, releaseGroup, r.at, sources.erp, 'OrderReleased', JSON.stringify(releaseDetail(r.order, new Date(r.at).toISOString(), 'erp-simulator')));
    }
  };
  const runtime = await LocalRuntime.start({
    port: Number(v.port ?? 0),
    clock,
    dataDir,
    fresh,
    handlerEnv: { SIMULATOR_PROFILE: JSON.stringify(profile) },
    log: (line) => process.stderr.write(`${line}\n`),
    wire,
  });
  const status = async (): Promise<ChildStatus> => {
    let running = 0;
    let nextToken: string | undefined;
    do {
      const page = await runtime.engine.listExecutions({ stateMachineArn: runtime.stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken });
      running += page.executions.length;
      nextToken = page.nextToken;
    } while (nextToken);
    const urls = runtime.sqs.listQueues().QueueUrls;
    const depth = (dlq: boolean) => urls.filter((u) => u.endsWith('dlq') === dlq).reduce((n, url) => n + runtime.sqs.depth(url), 0);
    return {
      now: clock.now(),
      releasesPending: runtime.scheduler.listSchedules(releaseGroup).Schedules.length,
      schedulesPending: runtime.scheduler.pending,
      running,
      queued: depth(false),
      deadLettered: depth(true),
      busBusy: runtime.bus.busy,
    };
  };
  process.once('SIGTERM', () => process.exit(0));
  process.stdout.write(`${statusPrefix}${JSON.stringify({ ready: true, endpoint: runtime.endpoint })}\n`);
  for (;;) {
    process.stdout.write(`${statusPrefix}${JSON.stringify(await status())}\n`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Appends the event id of every partner event the Correlator recognised as a repeat (same event id,
 * not acted on again) to `file`, written synchronously so the count survives the kill.
 */
function countSuppressedDuplicates(runtime: LocalRuntime, file: string): void {
  const invoke = runtime.runner.invoke.bind(runtime.runner);
  runtime.runner.invoke = async (name, event) => {
    const result = await invoke(name, event);
    const out = result.payload as { status?: string; duplicate?: boolean } | undefined;
    if (name.split(':').pop() === 'Correlator' && (out?.status === 'DUPLICATE' || out?.duplicate === true)) {
      appendFileSync(file, `${JSON.stringify({ eventId: (event as { detail?: { eventId?: string } }).detail?.eventId, detailType: (event as { 'detail-type'?: string })['detail-type'] })}\n`);
    }
    return result;
  };
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
