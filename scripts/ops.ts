/**
 * npm run ops -- <command>: operations tooling for the order-to-ship workflow, against the local
 * runtime or AWS. See docs/operations.md (the runbook).
 *
 *   quarantine list [--code CODE] [--status quarantined|redriven] [--json]
 *   quarantine show ID
 *   quarantine redrive ID [--detail-file FILE] [--force]
 *   order ORDER_ID [--json]
 *   dlq list  --queue URL [--max N] [--json]
 *   dlq drain --queue URL (--to URL | --to-bus) [--max N]
 *   breaker list [--json]
 *   breaker reset SYSTEM PARTNER --reason TEXT
 *
 * Endpoint: `--endpoint URL`, else AWS_ENDPOINT_URL, else http://127.0.0.1:4590 (the local runtime).
 * `--endpoint ''` uses the SDK's default endpoint, region and credential chain (AWS). Credentials are
 * never printed; against 127.0.0.1/localhost, dummy credentials are used.
 *
 * Run in-process by tests through `main(argv, io)`; it resolves to the exit code (0 ok, 1 refused or
 * failed, 2 usage error).
 */
import '../local/quiet-sdk-warning';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandOutput } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, ListStateMachinesCommand, SFNClient, type DescribeExecutionCommandOutput } from '@aws-sdk/client-sfn';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DynamoDbWorkflowStore } from '../lambdas/adapters/aws/dynamodb-store';
import { updateBreaker } from '../lambdas/adapters/circuit-breakers';
import { resetBreaker } from '../lambdas/domain/circuit-breaker';
import { parseEvent, stage as stageSchema } from '../lambdas/contracts';
import type { LogEntry, QuarantinedEvent } from '../lambdas/ports/store';

export interface OpsIo {
  /** Normal output (one call per line or block). */
  out(text: string): void;
  /** Errors and warnings. */
  err(text: string): void;
  /** Environment (defaults to process.env). */
  env?: Record<string, string | undefined>;
}

export const usage = `npm run ops -- <command> [options]

Commands:
  quarantine list [--code CODE] [--status quarantined|redriven] [--json]
                                    quarantined events, newest first, with counts by code
  quarantine show ID                the full record and the event as received
  quarantine redrive ID [--detail-file FILE] [--force]
                                    put the event back on the bus (original source and detail-type, the
                                    original detail or the corrected one in FILE) and mark it REDRIVEN
  order ORDER_ID [--json]           an order's state, execution, open exceptions and event-log timeline
  dlq list --queue URL [--max N] [--json]
                                    messages of a dead-letter queue (received with visibility 0, not deleted)
  dlq drain --queue URL (--to URL | --to-bus) [--max N]
                                    move every message back: to an SQS queue, or re-put the EventBridge
                                    event in its body on the bus; each is deleted only after it was re-sent
  breaker list [--json]             partners' circuit breakers: status, failures, when a probe may go, last error
  breaker reset SYSTEM PARTNER --reason TEXT
                                    close a breaker by hand (PARTNER is the carrier id for carriers, else
                                    the system name); the reason is kept on the breaker

Options:
  --endpoint URL        default AWS_ENDPOINT_URL, else http://127.0.0.1:4590; '' = AWS (SDK defaults)
  --region REGION       default AWS_REGION (us-east-1 on the local runtime)
  --table NAME          workflow table (default TABLE_NAME, else logistics-orchestrator-workflow)
  --bus NAME            event bus (default EVENT_BUS_NAME, else logistics)
  --state-machine ARN   order-to-ship state machine (default STATE_MACHINE_ARN, else the order's recorded
                        execution, else the state machine named like order-to-ship)`;

const quarantineCodes = ['UNKNOWN_TYPE', 'UNKNOWN_VERSION', 'WRONG_SOURCE', 'INVALID', 'OVERSIZED', 'CORRELATION_MISMATCH', 'UNKNOWN_ORDER', 'WRONG_ROUTE'];

/** A refusal the operator can act on: printed as one line, exit code 1 (2 for usage). */
class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const usageError = (message: string) => new OpsError(`${message}\n\n${usage}`, 2);

interface Context {
  readonly io: OpsIo;
  readonly endpoint: string;
  readonly table: string;
  readonly bus: string;
  readonly region?: string;
  readonly stateMachineArn?: string;
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
  readonly clients: Clients;
}

/** SDK clients, made on first use and destroyed at the end. */
class Clients {
  private made: Array<{ destroy(): void }> = [];
  private cache = new Map<string, unknown>();

  constructor(private readonly config: Record<string, unknown>) {}

  private get<T extends { destroy(): void }>(key: string, make: () => T): T {
    let client = this.cache.get(key) as T | undefined;
    if (!client) {
      client = make();
      this.cache.set(key, client);
      this.made.push(client);
    }
    return client;
  }

  get dynamo() {
    return this.get('dynamo', () => new DynamoDBClient(this.config));
  }
  get doc() {
    return this.get('doc', () => DynamoDBDocumentClient.from(this.dynamo, { marshallOptions: { removeUndefinedValues: true } }));
  }
  get events() {
    return this.get('events', () => new EventBridgeClient(this.config));
  }
  get sfn() {
    return this.get('sfn', () => new SFNClient(this.config));
  }
  get sqs() {
    return this.get('sqs', () => new SQSClient(this.config));
  }

  destroy() {
    // The document client shares the DynamoDB client's handler: destroy each base client once.
    for (const client of this.made) if (!(client instanceof DynamoDBDocumentClient)) client.destroy();
  }
}

function isLocalEndpoint(endpoint: string): boolean {
  return /^(https?:\/\/)?(127\.0\.0\.1|localhost|\[::1\])[:/]?/.test(endpoint);
}

/** The CLI: resolves to the exit code. */
export async function main(argv: readonly string[], io: OpsIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }): Promise<number> {
  const env = io.env ?? process.env;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        endpoint: { type: 'string' },
        region: { type: 'string' },
        table: { type: 'string' },
        bus: { type: 'string' },
        'state-machine': { type: 'string' },
        code: { type: 'string' },
        status: { type: 'string' },
        json: { type: 'boolean' },
        'detail-file': { type: 'string' },
        force: { type: 'boolean' },
        queue: { type: 'string' },
        to: { type: 'string' },
        'to-bus': { type: 'boolean' },
        max: { type: 'string' },
        reason: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    if (values.help) io.out(usage);
    else io.err(usage);
    return values.help ? 0 : 2;
  }
  const endpoint = values.endpoint ?? env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4590';
  const local = endpoint !== '' && isLocalEndpoint(endpoint);
  const region = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (local ? 'us-east-1' : undefined);
  const clients = new Clients({
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  const ctx: Context = {
    io,
    endpoint,
    region,
    table: values.table ?? env.TABLE_NAME ?? 'logistics-orchestrator-workflow',
    bus: values.bus ?? env.EVENT_BUS_NAME ?? 'logistics',
    stateMachineArn: values['state-machine'] ?? env.STATE_MACHINE_ARN,
    values,
    positionals,
    clients,
  };
  try {
    const [command, sub] = positionals;
    if (command === 'quarantine') {
      if (sub === 'list') return await quarantineList(ctx);
      if (sub === 'show') return await quarantineShow(ctx);
      if (sub === 'redrive') return await quarantineRedrive(ctx);
      throw usageError(`quarantine: expected list, show or redrive, got '${sub ?? ''}'`);
    }
    if (command === 'order') return await order(ctx);
    if (command === 'dlq') {
      if (sub === 'list') return await dlqList(ctx);
      if (sub === 'drain') return await dlqDrain(ctx);
      throw usageError(`dlq: expected list or drain, got '${sub ?? ''}'`);
    }
    if (command === 'breaker') {
      if (sub === 'list') return await breakerList(ctx);
      if (sub === 'reset') return await breakerReset(ctx);
      throw usageError(`breaker: expected list or reset, got '${sub ?? ''}'`);
    }
    throw usageError(`unknown command '${command}'`);
  } catch (error) {
    if (error instanceof OpsError) {
      io.err(error.message);
      return error.exitCode;
    }
    io.err(describeAwsError(error, ctx));
    return 1;
  } finally {
    clients.destroy();
  }
}

/** One line for an SDK or network error: its name and message, never the request's credentials. */
function describeAwsError(error: unknown, ctx: Context): string {
  const e = error as Error & { code?: string; cause?: { code?: string } };
  const where = ctx.endpoint || 'AWS';
  if (e.code === 'ECONNREFUSED' || e.cause?.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(String(e.message))) {
    return `Nothing answers at ${where}: start the local runtime (npm run local) or pass --endpoint (--endpoint '' for AWS)`;
  }
  if (e.name === 'ResourceNotFoundException' && /table/i.test(e.message)) return `--table: table '${ctx.table}' not found at ${where}: ${e.message}`;
  if (e.name === 'CredentialsProviderError') return `No AWS credentials: configure a profile or environment credentials (${e.message.split('\n')[0]})`;
  return `${e.name ?? 'Error'}: ${e.message}`;
}

// ---------------------------------------------------------------------------------------------
// Quarantine

interface QuarantineRecord extends QuarantinedEvent {
  readonly redrivenAt?: string;
  readonly redriveEventId?: string;
}

async function loadQuarantine(ctx: Context): Promise<QuarantineRecord[]> {
  const store = new DynamoDbWorkflowStore(ctx.table, ctx.clients.dynamo);
  const records = (await store.listQuarantine()) as QuarantineRecord[];
  return records.sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : b.id.localeCompare(a.id)));
}

async function findQuarantined(ctx: Context, id: string | undefined): Promise<QuarantineRecord> {
  if (!id) throw usageError('ID: required (the event id shown by quarantine list)');
  const records = (await loadQuarantine(ctx)).filter((r) => r.id === id);
  if (records.length === 0) throw new OpsError(`ID: no quarantined event with id '${id}' in table ${ctx.table} (see: npm run ops -- quarantine list)`);
  return records[0]!;
}

function pad(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

function table(rows: string[][], widths: number[]): string {
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i]!))).join('  ').trimEnd()).join('\n');
}

async function quarantineList(ctx: Context): Promise<number> {
  const code = ctx.values.code as string | undefined;
  if (code !== undefined && !quarantineCodes.includes(code)) {
    throw usageError(`--code: must be one of ${quarantineCodes.join(', ')}, got '${code}'`);
  }
  const status = (ctx.values.status as string | undefined)?.toUpperCase();
  if (status !== undefined && status !== 'QUARANTINED' && status !== 'REDRIVEN') throw usageError(`--status: must be quarantined or redriven, got '${ctx.values.status}'`);
  const records = (await loadQuarantine(ctx)).filter((r) => (!code || r.code === code) && (!status || r.status === status));
  const counts: Record<string, number> = {};
  for (const r of records) counts[r.code] = (counts[r.code] ?? 0) + 1;
  if (ctx.values.json) {
    ctx.io.out(JSON.stringify({ count: records.length, byCode: counts, records }, null, 2));
    return 0;
  }
  if (records.length === 0) {
    ctx.io.out(`No quarantined events${code ? ` with code ${code}` : ''} in table ${ctx.table}.`);
    return 0;
  }
  const rows = [['RECEIVED AT', 'CODE', 'DETAIL-TYPE', 'SOURCE', 'STATUS', 'EVENT ID', 'REASON']];
  for (const r of records) rows.push([r.receivedAt, r.code, r.detailType ?? '-', r.source ?? '-', r.status, r.id, r.reason]);
  ctx.io.out(table(rows, [24, 20, 20, 20, 11, 36]));
  ctx.io.out('');
  ctx.io.out(`${records.length} event(s). By code: ${Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
  return 0;
}

async function quarantineShow(ctx: Context): Promise<number> {
  const record = await findQuarantined(ctx, ctx.positionals[2]);
  ctx.io.out(JSON.stringify(record, null, 2));
  return 0;
}

function eventFields(record: QuarantineRecord): { source?: string; detailType?: string; detail: unknown } {
  const event = (record.event ?? {}) as { source?: string; 'detail-type'?: string; detail?: unknown };
  return { source: event.source ?? record.source, detailType: event['detail-type'] ?? record.detailType, detail: event.detail };
}

async function quarantineRedrive(ctx: Context): Promise<number> {
  const id = ctx.positionals[2];
  const record = await findQuarantined(ctx, id);
  const force = ctx.values.force === true;
  if (record.status === 'REDRIVEN' && !force) {
    throw new OpsError(`ID: event '${record.id}' was already re-driven${record.redrivenAt ? ` at ${record.redrivenAt}` : ''}; pass --force to put it on the bus again`);
  }
  const { source, detailType, detail: original } = eventFields(record);
  if (!source) throw new OpsError(`event.source: missing in quarantined event '${record.id}'; it cannot be re-driven as received`);
  if (!detailType) throw new OpsError(`event.detail-type: missing in quarantined event '${record.id}'; it cannot be re-driven as received`);

  let detail: unknown = original;
  const file = ctx.values['detail-file'] as string | undefined;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new OpsError(`--detail-file: cannot read '${file}' (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    try {
      detail = JSON.parse(text);
    } catch (error) {
      throw new OpsError(`--detail-file: '${file}' must be a JSON object (the event's detail): ${(error as Error).message}`);
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new OpsError(`--detail-file: '${file}' must be a JSON object (the event's detail)`);
  }
  // A detail that would be refused again is not put back unless forced.
  const check = parseEvent(detailType, source, detail);
  if (!check.ok && !force) {
    const how = file === undefined ? 'correct it with --detail-file FILE' : `correct ${file}`;
    throw new OpsError(`${file === undefined ? 'detail' : '--detail-file'}: would be quarantined again (${check.violation.code}: ${check.violation.reason}); ${how}, or pass --force`);
  }

  const result: PutEventsCommandOutput = await ctx.clients.events.send(
    new PutEventsCommand({ Entries: [{ EventBusName: ctx.bus, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }] }),
  );
  const entry = result.Entries?.[0];
  ctx.io.out(JSON.stringify({ FailedEntryCount: result.FailedEntryCount ?? 0, Entries: result.Entries ?? [] }, null, 2));
  if ((result.FailedEntryCount ?? 0) > 0 || !entry?.EventId) {
    throw new OpsError(`PutEvents refused the event (${entry?.ErrorCode ?? 'unknown'}: ${entry?.ErrorMessage ?? 'no message'}); it stays QUARANTINED`);
  }
  const redrivenAt = new Date().toISOString();
  await ctx.clients.doc.send(
    new UpdateCommand({
      TableName: ctx.table,
      Key: { PK: 'QUARANTINE', SK: `${record.receivedAt}#${record.id}` },
      UpdateExpression: 'SET #s = :r, redrivenAt = :at, redriveEventId = :eid, redriveCount = if_not_exists(redriveCount, :zero) + :one' + (file !== undefined ? ', redriveDetail = :d' : ''),
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':r': 'REDRIVEN', ':at': redrivenAt, ':eid': entry.EventId, ':zero': 0, ':one': 1, ...(file !== undefined ? { ':d': detail } : {}) },
    }),
  );
  ctx.io.out(`Re-driven ${record.id} (${source} ${detailType}${file !== undefined ? `, detail from ${file}` : ''}) as event ${entry.EventId} on bus ${ctx.bus}; marked REDRIVEN.`);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Order

async function executionArnFor(ctx: Context, orderId: string, recorded: string | undefined): Promise<string | undefined> {
  if (ctx.stateMachineArn) return `${ctx.stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
  if (recorded) return recorded;
  let nextToken: string | undefined;
  do {
    const page = await ctx.clients.sfn.send(new ListStateMachinesCommand({ nextToken }));
    const match = (page.stateMachines ?? []).find((m) => m.name === 'order-to-ship' || /order-?to-?ship/i.test(m.name ?? ''));
    if (match?.stateMachineArn) return `${match.stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/**
 * The log's sort key orders entries by time, then by event id: entries of one instant (a task's
 * stage changes share the state's entered time) are put in lifecycle order instead.
 */
function timelineOrder(entries: LogEntry[]): LogEntry[] {
  const stages: readonly string[] = stageSchema.options;
  const rank = (e: LogEntry) => (e.stage ? stages.indexOf(e.stage) + (e.type === 'STAGE_CHANGED' ? 0 : 0.5) : stages.length);
  return [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : rank(a) - rank(b)));
}

function describeEntry(e: LogEntry): string {
  const parts: string[] = [];
  if (e.type === 'STAGE_CHANGED') parts.push(`${e.fromStage ?? '∅'} → ${e.stage}`);
  else if (e.stage) parts.push(`[${e.stage}]`);
  const d = (e.details ?? {}) as Record<string, unknown>;
  for (const key of ['eventType', 'kind', 'waitKind', 'key', 'category', 'exceptionId', 'resolution', 'decision', 'code', 'reason', 'outcome']) {
    if (d[key] !== undefined && d[key] !== null) parts.push(`${key}=${typeof d[key] === 'string' ? d[key] : JSON.stringify(d[key])}`);
  }
  if (e.carrierId) parts.push(`carrier=${e.carrierId}`);
  return parts.join(' ');
}

async function order(ctx: Context): Promise<number> {
  const orderId = ctx.positionals[1];
  if (!orderId) throw usageError('ORDER_ID: required');
  const store = new DynamoDbWorkflowStore(ctx.table, ctx.clients.dynamo);
  const state = await store.getOrder(orderId);
  const history = timelineOrder(await store.history(orderId));
  const exceptions = (await store.openExceptions()).filter((x) => x.orderId === orderId).sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const executionArn = await executionArnFor(ctx, orderId, state?.executionArn);
  let execution: DescribeExecutionCommandOutput | undefined;
  let executionNote: string | undefined;
  if (executionArn) {
    try {
      execution = await ctx.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    } catch (error) {
      if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
      executionNote = `no execution ${executionArn}`;
    }
  } else {
    executionNote = 'no order-to-ship state machine found (pass --state-machine ARN)';
  }
  if (!state && !execution && history.length === 0) {
    throw new OpsError(`ORDER_ID: order '${orderId}' is unknown: no state item in table ${ctx.table}, no event log, no execution. If its release was refused, see: npm run ops -- quarantine list --code INVALID`);
  }
  if (ctx.values.json) {
    const { $metadata: _m, input: _i, output: _o, ...exec } = execution ?? ({} as DescribeExecutionCommandOutput);
    ctx.io.out(JSON.stringify({ orderId, state, execution: execution ? exec : undefined, executionNote, openExceptions: exceptions, timeline: history }, null, 2));
    return 0;
  }
  const out = ctx.io.out;
  out(`Order ${orderId}`);
  if (state) {
    const s = state.summary;
    out(`  state:      stage ${state.stage}, status ${state.status}, version ${state.version}, updated ${state.updatedAt}`);
    out(`  summary:    customer ${s.customerId} (${s.customerPriority}), site ${s.siteId}, ship by ${s.requestedShipDate}, promised ${s.promisedDeliveryDate}`);
    const extra = [state.carrierId && `carrier ${state.carrierId}`, state.lane && `lane ${state.lane}`, state.loadId && `load ${state.loadId}`, state.shipmentId && `shipment ${state.shipmentId}`, state.activeWaitKey && `last wait ${state.activeWaitKey}`, state.cancelRequested && `cancel requested ${state.cancelRequested.at} (${state.cancelRequested.reason})`].filter(Boolean);
    if (extra.length) out(`              ${extra.join(', ')}`);
  } else {
    out(`  state:      no state item (ORDER#${orderId} / STATE) in table ${ctx.table}`);
  }
  if (execution) {
    out(`  execution:  ${execution.status} since ${execution.startDate?.toISOString() ?? '?'}${execution.stopDate ? `, stopped ${execution.stopDate.toISOString()}` : ''}`);
    out(`              ${execution.executionArn}`);
    if (execution.error || execution.cause) out(`              error ${execution.error ?? '-'}: ${execution.cause ?? ''}`);
    if (execution.redriveCount) out(`              redriven ${execution.redriveCount} time(s)${execution.redriveDate ? `, last ${execution.redriveDate.toISOString()}` : ''}`);
    if (execution.redriveStatus && execution.status !== 'RUNNING' && execution.status !== 'SUCCEEDED') out(`              redrive: ${execution.redriveStatus}${execution.redriveStatusReason ? ` (${execution.redriveStatusReason})` : ''}`);
  } else {
    out(`  execution:  ${executionNote}`);
  }
  if (exceptions.length === 0) out('  exceptions: none open');
  else {
    out(`  exceptions: ${exceptions.length} open`);
    for (const x of exceptions) out(`    ${x.exceptionId}  ${x.category} (${x.severity}) owner ${x.ownerTeam}, raised ${x.raisedAt}, due ${x.dueAt}: ${x.reason}`);
  }
  out('');
  out(`Timeline (${history.length} event(s), oldest first)`);
  const rows = history.map((e) => [e.at, e.type, `${e.actor?.type ?? '?'}:${e.actor?.id ?? '?'}`, describeEntry(e)]);
  if (rows.length) out(table(rows.map((r) => r.map((c) => `  ${c}`).map((c, i) => (i === 0 ? c : c.trimStart()))), [26, 18, 26]));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Circuit breakers

async function breakerList(ctx: Context): Promise<number> {
  const store = new DynamoDbWorkflowStore(ctx.table, ctx.clients.dynamo);
  const breakers = (await store.listBreakers()).sort((a, b) => `${a.system}#${a.partnerId}`.localeCompare(`${b.system}#${b.partnerId}`));
  if (ctx.values.json) {
    ctx.io.out(JSON.stringify(breakers, null, 2));
    return 0;
  }
  if (breakers.length === 0) {
    ctx.io.out('No circuit breaker has recorded a failure yet (every partner is closed).');
    return 0;
  }
  const open = breakers.filter((b) => b.state.status !== 'CLOSED').length;
  ctx.io.out(`${breakers.length} breaker(s), ${open} not closed`);
  const rows = breakers.map((b) => {
    const s = b.state;
    const when = s.status === 'OPEN' ? `probe after ${s.openUntil}` : s.status === 'HALF_OPEN' ? `probing until ${s.probeUntil}` : `${s.failures} failure(s) in window`;
    return [`${b.system}/${b.partnerId}`, s.status, when, `opened ${s.timesOpened}x`, s.lastError ?? ''];
  });
  ctx.io.out(table(rows, [22, 10, 40, 12]));
  return 0;
}

async function breakerReset(ctx: Context): Promise<number> {
  const [, , system, partnerId] = ctx.positionals;
  if (!system || !partnerId) throw usageError('breaker reset: SYSTEM and PARTNER required (see breaker list; PARTNER is the carrier id for carriers, else the system name)');
  const reason = typeof ctx.values.reason === 'string' ? ctx.values.reason.trim() : '';
  if (!reason) throw usageError('--reason: required (kept on the breaker, so the next reader knows why it was closed by hand)');
  const store = new DynamoDbWorkflowStore(ctx.table, ctx.clients.dynamo);
  const record = await store.getBreaker(system, partnerId);
  if (!record) throw new OpsError(`breaker ${system}/${partnerId}: no such breaker in table ${ctx.table} (it never recorded a failure); see: npm run ops -- breaker list`);
  const at = new Date().toISOString();
  const next = await updateBreaker(store, system, partnerId, undefined, (state) => resetBreaker(state, reason, at));
  if (next.status !== 'CLOSED') throw new OpsError(`breaker ${system}/${partnerId}: still ${next.status}: concurrent writers kept changing it; try again`);
  ctx.io.out(`breaker ${system}/${partnerId}: ${record.state.status} -> CLOSED (${reason})`);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Dead-letter queues

function requireQueue(ctx: Context): string {
  const queue = ctx.values.queue as string | undefined;
  if (!queue) throw usageError('--queue: required (the dead-letter queue URL)');
  if (!/^https?:\/\//.test(queue)) throw usageError(`--queue: must be a queue URL (https://sqs.<region>.amazonaws.com/<account>/<name>), got '${queue}'`);
  return queue;
}

function maxOption(ctx: Context): number {
  const raw = ctx.values.max as string | undefined;
  if (raw === undefined) return 10_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw usageError(`--max: must be a positive integer, got '${raw}'`);
  return n;
}

async function dlqList(ctx: Context): Promise<number> {
  const queue = requireQueue(ctx);
  const max = maxOption(ctx);
  const attrs = await ctx.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  const seen = new Map<string, Message>();
  // Visibility 0: the messages stay visible to everyone; repeat until a receive brings nothing new.
  for (let round = 0; round < 50 && seen.size < max; round++) {
    const out = await ctx.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    const fresh = (out.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const m of fresh) if (seen.size < max) seen.set(m.MessageId!, m);
  }
  const messages = [...seen.values()];
  if (ctx.values.json) {
    ctx.io.out(JSON.stringify({ queue, approximateNumberOfMessages: Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0), messages }, null, 2));
    return 0;
  }
  ctx.io.out(`${queue}: about ${attrs.Attributes?.ApproximateNumberOfMessages ?? '?'} message(s) visible, ${attrs.Attributes?.ApproximateNumberOfMessagesNotVisible ?? '?'} in flight; listed ${messages.length}`);
  for (const m of messages) {
    const a = m.Attributes ?? {};
    const sent = a.SentTimestamp ? new Date(Number(a.SentTimestamp)).toISOString() : '?';
    const errorAttrs = Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => `${k}=${v.StringValue ?? '(binary)'}`);
    ctx.io.out('');
    ctx.io.out(`${m.MessageId}  sent ${sent}  received ${a.ApproximateReceiveCount ?? '?'} time(s)`);
    if (errorAttrs.length) ctx.io.out(`  attributes: ${errorAttrs.join(', ')}`);
    const event = ebEvent(m.Body);
    if ('event' in event) ctx.io.out(`  event: ${event.event.source} ${event.event.detailType} (id ${event.event.id ?? '?'})`);
    ctx.io.out(`  body: ${(m.Body ?? '').length > 400 ? `${m.Body!.slice(0, 400)}…` : m.Body ?? ''}`);
  }
  return 0;
}

/** The EventBridge event in a message body (what EventBridge puts in a target's DLQ or an SQS target). */
function ebEvent(body: string | undefined): { event: { id?: string; source: string; detailType: string; detail: unknown } } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { problem: 'body: is not JSON (expected an EventBridge event)' };
  }
  const e = parsed as Record<string, unknown>;
  if (typeof e !== 'object' || e === null) return { problem: 'body: must be a JSON object (an EventBridge event)' };
  if (typeof e.source !== 'string' || !e.source) return { problem: 'body.source: must be a non-empty string' };
  if (typeof e['detail-type'] !== 'string' || !e['detail-type']) return { problem: 'body.detail-type: must be a non-empty string' };
  if (e.detail === undefined) return { problem: 'body.detail: is required' };
  return { event: { id: typeof e.id === 'string' ? e.id : undefined, source: e.source, detailType: e['detail-type'], detail: e.detail } };
}

function copyAttributes(attrs: Record<string, MessageAttributeValue> | undefined): Record<string, MessageAttributeValue> | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  return Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, { DataType: v.DataType, ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}), ...(v.BinaryValue !== undefined ? { BinaryValue: v.BinaryValue } : {}) }]));
}

async function dlqDrain(ctx: Context): Promise<number> {
  const queue = requireQueue(ctx);
  const max = maxOption(ctx);
  const to = ctx.values.to as string | undefined;
  const toBus = ctx.values['to-bus'] === true;
  if (!to === !toBus) throw usageError('--to / --to-bus: give exactly one destination (--to QUEUE_URL, or --to-bus to re-put each EventBridge event on --bus)');
  if (to !== undefined && !/^https?:\/\//.test(to)) throw usageError(`--to: must be a queue URL, got '${to}'`);
  if (to === queue) throw usageError('--to: must differ from --queue');

  const failed = new Map<string, { receipt: string; problem: string }>();
  // A message seen again after it was re-sent (its visibility ran out before the delete) is only deleted.
  const sent = new Set<string>();
  let moved = 0;
  while (moved < max) {
    const out = await ctx.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: Math.min(10, max - moved), VisibilityTimeout: 60, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }),
    );
    const messages = (out.Messages ?? []).filter((m) => m.MessageId && !failed.has(m.MessageId));
    if (messages.length === 0) break;
    for (const m of messages) {
      if (sent.has(m.MessageId!)) {
        await ctx.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queue, ReceiptHandle: m.ReceiptHandle! }));
        continue;
      }
      try {
        if (to !== undefined) {
          await ctx.clients.sqs.send(new SendMessageCommand({ QueueUrl: to, MessageBody: m.Body ?? '', MessageAttributes: copyAttributes(m.MessageAttributes) }));
        } else {
          const parsed = ebEvent(m.Body);
          if ('problem' in parsed) throw new OpsError(parsed.problem);
          const { source, detailType, detail } = parsed.event;
          const put = await ctx.clients.events.send(
            new PutEventsCommand({ Entries: [{ EventBusName: ctx.bus, Source: source, DetailType: detailType, Detail: typeof detail === 'string' ? detail : JSON.stringify(detail) }] }),
          );
          if ((put.FailedEntryCount ?? 0) > 0) throw new OpsError(`PutEvents refused it (${put.Entries?.[0]?.ErrorCode}: ${put.Entries?.[0]?.ErrorMessage})`);
        }
      } catch (error) {
        const problem = error instanceof OpsError ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
        failed.set(m.MessageId!, { receipt: m.ReceiptHandle!, problem });
        ctx.io.err(`${m.MessageId}: not moved, left in the dead-letter queue: ${problem}`);
        continue;
      }
      // Deleted only once it was re-sent.
      sent.add(m.MessageId!);
      await ctx.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: queue, ReceiptHandle: m.ReceiptHandle! }));
      moved++;
      ctx.io.out(`${m.MessageId}: moved to ${to ?? `bus ${ctx.bus}`}`);
    }
  }
  // What could not be moved is made visible again at once, for the next look.
  for (const { receipt } of failed.values()) {
    await ctx.clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue, ReceiptHandle: receipt, VisibilityTimeout: 0 })).catch(() => undefined);
  }
  ctx.io.out(`Moved ${moved} message(s) from ${queue} to ${to ?? `bus ${ctx.bus}`}${failed.size ? `; ${failed.size} left in the dead-letter queue (see above)` : ''}.`);
  return failed.size ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${(error as Error).stack ?? error}\n`);
      process.exit(1);
    },
  );
}
