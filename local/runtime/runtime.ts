import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { workflowTableDefinition } from '../../lambdas/adapters/dynamodb-table';
import { env, functions, queues, schedules, systems } from '../../lambdas/manifest';
import { orderToShipRoutes } from '../../statemachines/routes';
import { Engine, FileExecutionStore, MemoryExecutionStore, type Clock, type LambdaInvokeRequest } from '../engine';
import { LocalEventBridge } from '../eventbridge';
import { Edge } from '../edge/server';
import { eventsService } from '../edge/events-service';
import { sfnService } from '../edge/sfn-service';
import { sqsService } from '../edge/sqs-service';
import { LambdaRunner, type Handler } from '../lambda/runner';
import { EventSourceMapping } from '../sqs/event-source-mapping';
import { QueueService } from '../sqs/queue-service';
import { LocalScheduler, type ScheduleTarget } from '../scheduler/scheduler';
import { schedulerRoutes } from '../edge/scheduler-service';
import { held, timerClock } from './clock';
import { localDefinition } from './definition';
import { RuntimeJournal, readJournal, replayJournal } from './journal';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;

export const root = resolve(__dirname, '..', '..');

/** The DynamoDB operation a request to dynalite names (`X-Amz-Target: DynamoDB_20120810.PutItem`). */
const dynamoOperation = (req: Pick<IncomingMessage, 'headers'>) => String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
export const defaultPort = 4590;
export const names = {
  table: 'logistics-orchestrator-workflow',
  bus: 'logistics',
  stateMachine: 'order-to-ship',
  eventsDlq: 'event-targets-dlq',
  scheduleGroup: 'sandbox-simulators',
} as const;

export interface RuntimeOptions {
  /** Edge port on 127.0.0.1. @default 4590 (0 picks a free port) */
  readonly port?: number;
  /** Where DynamoDB and executions persist. @default `.local` under the repository; undefined with `inMemory` */
  readonly dataDir?: string;
  /** Start from empty state (deletes the data directory). */
  readonly fresh?: boolean;
  /** Keep nothing on disk (tests). */
  readonly inMemory?: boolean;
  readonly clock: Clock;
  /** Extra environment for handlers (e.g. SIMULATOR_PROFILE). */
  readonly handlerEnv?: Record<string, string>;
  readonly log?: (line: string) => void;
  /**
   * Wires what the caller adds to the runtime (functions, rules) before any handler runs, so events
   * that executions resumed from disk publish find their rules. Rules are not journaled.
   */
  readonly wire?: (runtime: LocalRuntime) => Promise<void> | void;
}

/**
 * The local runtime: the product's own state machine, handlers and routing rules on one machine,
 * behind one AWS-compatible endpoint. It reads the same sources as the CDK app (the manifest, the
 * routes, the ASL) and gives handlers the environment the stack would, with the AWS SDK pointed
 * here by `AWS_ENDPOINT_URL`.
 */
export class LocalRuntime {
  readonly runner = new LambdaRunner();
  readonly sqs: QueueService;
  readonly bus: LocalEventBridge;
  readonly scheduler: LocalScheduler;
  engine!: Engine;
  edge!: Edge;
  readonly mappings: EventSourceMapping[] = [];
  stateMachineArn = '';
  endpoint = '';
  /** DynamoDB requests served by dynalite, by operation (whoever sent them): for benchmarks and reports. */
  readonly dynamoRequests = new Map<string, number>();
  private dynamo?: Server;

  /** Calls `listener` with the operation and JSON body of each DynamoDB request dynalite serves (the benchmark replays the writes). */
  tapDynamo(listener: (operation: string, body: string) => void): void {
    this.dynamo?.on('request', (req: IncomingMessage) => {
      const op = dynamoOperation(req);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => listener(op, Buffer.concat(chunks).toString('utf8')));
    });
  }

  private constructor(
    readonly options: RuntimeOptions,
    dynamoEndpoint: string,
    private readonly dataDir: string | undefined,
  ) {
    const clock = timerClock(options.clock);
    const port = options.port ?? defaultPort;
    // The in-memory services (queues, schedules, pending deliveries, clock) are journaled under the data directory.
    const journal = (this.journal = dataDir ? RuntimeJournal.begin(join(dataDir, 'journal.jsonl'), () => options.clock.now()) : undefined);
    this.sqs = new QueueService({ endpoint: `http://127.0.0.1:${port}`, clock, journal });
    this.bus = new LocalEventBridge({
      clock,
      deliver: (target, payload, context) => held(options.clock, () => this.deliverToTarget(target.Arn, payload, context.messageAttributes)),
      onError: (error) => options.log?.(`event delivery failed: ${(error as Error).message}`),
      journal,
    });
    this.scheduler = new LocalScheduler({
      clock,
      invoke: (target) => held(options.clock, async () => this.invokeScheduleTarget(target)),
      onError: (error) => options.log?.(`schedule target failed: ${(error as Error).message}`),
      journal,
    });
    this.port = port;
    this.dynamoEndpoint = dynamoEndpoint;
  }

  private readonly port: number;
  private readonly dynamoEndpoint: string;
  /** Accepted-but-unfinished work of the in-memory services, kept across a kill (see journal.ts). */
  private readonly journal?: RuntimeJournal;
  private journalTicker?: NodeJS.Timeout;
  private markWired!: () => void;
  private readonly wired = new Promise<void>((done) => (this.markWired = done));

  private async startEngine(): Promise<void> {
    this.engine = await Engine.start({
      clock: this.options.clock,
      store: this.dataDir ? new FileExecutionStore({ directory: join(this.dataDir, 'sfn') }) : new MemoryExecutionStore(),
      integrations: {
        invokeLambda: (request: LambdaInvokeRequest) => this.runner.invoke(request.functionName, request.payload),
        sendMessage: async (params: Record<string, unknown>) => this.sqs.sendMessage(params as never),
        putEvents: async (params: Record<string, unknown>) => this.bus.putEvents(params as never) as unknown as Record<string, unknown>,
      },
    });
    this.edge = new Edge({
      port: this.port,
      services: [sfnService(this.engine), eventsService(this.bus), sqsService(this.sqs)],
      routes: schedulerRoutes(this.scheduler),
      dynamodbEndpoint: this.dynamoEndpoint,
    });
  }

  static async start(options: RuntimeOptions): Promise<LocalRuntime> {
    const dataDir = options.inMemory ? undefined : resolve(options.dataDir ?? join(root, '.local'));
    if (dataDir && options.fresh) rmSync(dataDir, { recursive: true, force: true });
    if (dataDir) mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(dataDir ? { path: join(dataDir, 'dynamodb') } : {}) });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const dynamoEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const runtime = new LocalRuntime(options, dynamoEndpoint, dataDir);
    runtime.dynamo = server;
    server.on('request', (req: { headers: Record<string, string | string[] | undefined> }) => {
      const op = dynamoOperation(req);
      runtime.dynamoRequests.set(op, (runtime.dynamoRequests.get(op) ?? 0) + 1);
    });
    try {
      await runtime.boot();
    } catch (error) {
      await runtime.stop();
      throw error;
    }
    return runtime;
  }

  private async boot(): Promise<void> {
    // Functions and their environment exist before the engine resumes executions from disk.
    this.registerFunctions();
    // The clock carries on from where the journal last saw it, before anything sets a timer.
    const carried = this.journal ? readJournal(this.journal.file) : undefined;
    const clock = this.options.clock as { advanceTo?: (ms: number) => void };
    if (carried?.now !== undefined && carried.now > this.options.clock.now()) clock.advanceTo?.(carried.now);
    await this.startEngine();
    this.endpoint = await this.edge.start();
    this.setEnvironment();
    await this.createTable();
    this.createQueues();
    await this.createStateMachine();
    this.createRules();
    await this.options.wire?.(this);
    if (carried) {
      for (const problem of replayJournal(carried, this)) this.options.log?.(problem);
      this.journal!.commit();
      this.journalTicker = setInterval(() => this.journal!.tick(), 100).unref();
    }
    this.startSchedules();
    for (const m of this.mappings) m.start();
    this.markWired();
  }

  /** What the stack gives every function, with the SDK pointed at this runtime. */
  private setEnvironment(): void {
    const account = '000000000000';
    const vars: Record<string, string> = {
      AWS_ENDPOINT_URL: this.endpoint,
      // Handlers reach dynalite directly (the SDK's per-service endpoint variable), saving the
      // edge's proxy hop on the busiest path; the edge still serves DynamoDB to everyone else.
      AWS_ENDPOINT_URL_DYNAMODB: this.dynamoEndpoint,
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [env.tableName]: names.table,
      [env.eventBusName]: names.bus,
      [env.stateMachineArn]: `arn:aws:states:us-east-1:${account}:stateMachine:${names.stateMachine}`,
      [env.eventBusArn]: `arn:aws:events:us-east-1:${account}:event-bus/${names.bus}`,
      [env.simulatorScheduleGroup]: names.scheduleGroup,
      [env.simulatorSchedulerRoleArn]: `arn:aws:iam::${account}:role/simulator-scheduler`,
      POWERTOOLS_SERVICE_NAME: 'logistics-orchestrator',
      POWERTOOLS_METRICS_NAMESPACE: 'LogisticsOrchestrator',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      ...Object.fromEntries(systems.map((s) => [env.systemMode(s), 'simulator'])),
      ...this.options.handlerEnv,
    };
    Object.assign(process.env, vars);
  }

  private async createTable(): Promise<void> {
    const client = new DynamoDBClient({ endpoint: this.endpoint });
    try {
      await client.send(new DescribeTableCommand({ TableName: names.table }));
    } catch {
      await client.send(new CreateTableCommand({ TableName: names.table, ...workflowTableDefinition } as never));
    } finally {
      client.destroy();
    }
  }

  private createQueues(): void {
    this.sqs.createQueue({ QueueName: names.eventsDlq });
    for (const q of queues) {
      const dlq = this.sqs.createQueue({ QueueName: `${q.id}-dlq` });
      this.sqs.createQueue({
        QueueName: q.id,
        Attributes: {
          VisibilityTimeout: String(q.visibilityTimeoutSeconds),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: this.sqs.arnOf(dlq.QueueUrl), maxReceiveCount: q.maxReceiveCount }),
        },
      });
      this.mappings.push(
        new EventSourceMapping(this.sqs, {
          queue: q.id,
          batchSize: q.batchSize,
          maxConcurrency: q.maxConcurrency,
          invoke: (event) => held(this.options.clock, async () => {
            const result = await this.runner.invoke(q.consumer, event);
            if (result.functionError) throw new Error(`${q.consumer} failed: ${JSON.stringify(result.payload)}`);
            return result.payload as never;
          }),
          onError: (error) => this.options.log?.((error as Error).message),
        }),
      );
    }
  }

  private registerFunctions(): void {
    for (const fn of functions) {
      const spec = fn as { timeoutSeconds?: number; memoryMb?: number };
      // Loaded on first invocation, after the environment is set, like a cold start.
      let handler: Handler | undefined;
      this.runner.register({
        name: fn.id,
        timeoutSeconds: spec.timeoutSeconds ?? 30,
        memoryMb: spec.memoryMb,
        handler: async (event, context) => {
          // Executions resumed from disk may call a task before the edge, the environment and the rules are there.
          await this.wired;
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          handler ??= (require(join(root, fn.entry)) as { handler: Handler }).handler;
          return handler(event, context);
        },
      });
    }
  }

  /** The deployed definition with this runtime's function ARNs. */
  definition(): string {
    return localDefinition((id) => this.runner.arnOf(id));
  }

  private async createStateMachine(): Promise<void> {
    const existing = (await this.engine.listStateMachines({})).stateMachines.find((m) => m.name === names.stateMachine);
    if (existing) {
      await this.engine.updateStateMachine({ stateMachineArn: existing.stateMachineArn, definition: this.definition() });
      this.stateMachineArn = existing.stateMachineArn;
      return;
    }
    const out = await this.engine.createStateMachine({
      name: names.stateMachine,
      definition: this.definition(),
      roleArn: 'arn:aws:iam::000000000000:role/order-to-ship-state-machine',
      type: 'STANDARD',
    });
    this.stateMachineArn = out.stateMachineArn;
  }

  private createRules(): void {
    try {
      this.bus.createEventBus({ Name: names.bus });
    } catch {
      /* already there */
    }
    const dlqArn = this.sqs.arnOf(names.eventsDlq);
    for (const route of orderToShipRoutes) {
      this.bus.putRule({ Name: route.id, EventBusName: names.bus, EventPattern: JSON.stringify(route.eventPattern), Description: route.description, State: 'ENABLED' });
      const arn = 'queue' in route.target ? this.sqs.arnOf(route.target.queue) : this.runner.arnOf(route.target.function);
      this.bus.putTargets({
        Rule: route.id,
        EventBusName: names.bus,
        Targets: [{ Id: 'target', Arn: arn, DeadLetterConfig: { Arn: dlqArn }, RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 } }],
      });
    }
  }

  private readonly scheduleTimers = new Map<string, ReturnType<Clock['setTimer']>>();

  /** The manifest's recurring schedules (EventBridge Scheduler `rate(...)` on AWS), on this runtime's clock, with `at` = the scheduled time. */
  private startSchedules(): void {
    for (const schedule of schedules) {
      const every = schedule.everyMinutes * 60_000;
      const tick = (dueMs: number) => {
        this.scheduleTimers.set(schedule.id, this.options.clock.setTimer(dueMs + every, () => tick(dueMs + every)));
        void held(this.options.clock, async () => {
          const result = await this.runner.invoke(schedule.function, { ...schedule.input, at: new Date(dueMs).toISOString() });
          if (result.functionError) this.options.log?.(`schedule ${schedule.id} failed: ${JSON.stringify(result.payload).slice(0, 500)}`);
        });
      };
      const first = Math.ceil(this.options.clock.now() / every) * every;
      this.scheduleTimers.set(schedule.id, this.options.clock.setTimer(first, () => tick(first)));
    }
  }

  /** EventBridge Scheduler's templated EventBridge target: put the schedule's input on the bus. */
  private async invokeScheduleTarget(target: ScheduleTarget): Promise<void> {
    if (!target.Arn.startsWith('arn:aws:events:') || !target.EventBridgeParameters) throw new Error(`no local schedule target for ${target.Arn}`);
    const out = this.bus.putEvents({
      Entries: [{ EventBusName: target.Arn.split('/').pop()!, Source: target.EventBridgeParameters.Source, DetailType: target.EventBridgeParameters.DetailType, Detail: target.Input ?? '{}' }],
    } as never);
    if (out.FailedEntryCount) throw new Error(`scheduled event refused: ${JSON.stringify(out.Entries)}`);
  }

  /** Delivers a bus event to an SQS queue or a Lambda function (asynchronous invocation). */
  private async deliverToTarget(arn: string, payload: string, messageAttributes?: Record<string, unknown>): Promise<void> {
    if (arn.startsWith('arn:aws:sqs:')) {
      // A dead-letter delivery carries AWS's attributes (RULE_ARN, ERROR_CODE, ERROR_MESSAGE, ...).
      this.sqs.sendMessage({ QueueUrl: arn.split(':').pop()!, MessageBody: payload, ...(messageAttributes ? { MessageAttributes: messageAttributes } : {}) });
      return;
    }
    if (arn.startsWith('arn:aws:lambda:')) {
      const result = await this.runner.invoke(arn, JSON.parse(payload));
      if (result.functionError) throw new Error(`${arn.split(':').pop()} failed: ${JSON.stringify(result.payload).slice(0, 500)}`);
      return;
    }
    throw new Error(`no local target for ${arn}`);
  }

  async stop(): Promise<void> {
    for (const m of this.mappings) m.stop();
    for (const timer of this.scheduleTimers.values()) this.options.clock.clearTimer(timer);
    await this.edge?.stop().catch(() => undefined);
    await this.engine?.close({ flush: true });
    this.bus.close();
    clearInterval(this.journalTicker);
    this.journal?.close();
    const server = this.dynamo;
    this.dynamo = undefined;
    if (server) await new Promise<void>((done) => server.close(() => done()));
  }
}
