/**
 * The SFN-shaped API over the interpreter: state machines, executions, histories and task
 * tokens, with field names and error codes of `@aws-sdk/client-sfn`, so the HTTP edge is a thin
 * JSON mapping. State lives in the injected store; time comes from the injected clock.
 */
import { randomUUID } from 'node:crypto';
import * as api from './api-errors';
import { checkName, executionArn as makeExecutionArn, parseExecutionArn, parseStateMachineArn, stateMachineArn as makeStateMachineArn } from './arn';
import { RealClock, type Clock } from './clock';
import { StatesError } from './errors';
import { overPayloadQuota, PAYLOAD_QUOTA_BYTES, toApiEvent } from './history';
import type { IntegrationPattern, ServiceIntegrations } from './integrations';
import { ExecutionRunner, parseDefinition, type RunnerServices } from './interpreter';
import { MemoryExecutionStore } from './store/memory';
import type { ExecutionStore } from './store/types';
import { isWellFormedToken, TokenRegistry, type TokenWaiter } from './tokens';
import type { ExecutionRecord, ExecutionStatus, FrameState, HistoryEvent, StateMachineRecord } from './types';
import { validateDefinition } from './validation';

export interface EngineOptions {
  store?: ExecutionStore;
  clock?: Clock;
  integrations?: ServiceIntegrations;
  region?: string;
  accountId?: string;
  /** Randomness for retry jitter (tests can make it deterministic). */
  random?: () => number;
}

export interface EngineEvent {
  executionArn: string;
  stateMachineArn: string;
  event: HistoryEvent;
}

type Listener = (e: EngineEvent) => void;

interface LiveExecution {
  record: ExecutionRecord;
  history: HistoryEvent[];
  runner?: ExecutionRunner;
  done: Promise<void>;
  resolveDone: () => void;
}

function parseJsonInput(input: unknown, what: string): unknown {
  if (input === undefined) return {};
  if (typeof input !== 'string') throw new api.InvalidExecutionInput(`Invalid ${what}: must be a string`);
  if (overPayloadQuota(input)) throw new api.InvalidExecutionInput(`Invalid ${what}: larger than ${PAYLOAD_QUOTA_BYTES} bytes`);
  try {
    return JSON.parse(input);
  } catch (e) {
    throw new api.InvalidExecutionInput(`Invalid ${what}: ${(e as Error).message}`);
  }
}

function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { page: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const n = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw new api.ValidationException(`Invalid pagination token: ${nextToken}`);
    start = n;
  }
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return { page, nextToken: next };
}

/** The fields DescribeExecution and ListExecutions share. */
function executionSummary(r: ExecutionRecord) {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: new Date(r.startDate),
    ...(r.stopDate !== undefined ? { stopDate: new Date(r.stopDate) } : {}),
  };
}

export class Engine {
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  private readonly store: ExecutionStore;
  private readonly integrations: ServiceIntegrations;
  private readonly random: () => number;
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, LiveExecution>();
  private readonly tokens = new TokenRegistry();
  private readonly listeners = new Set<Listener>();
  private closed = false;
  private ready: Promise<void> = Promise.resolve();
  /** What every runner of this engine uses (one object, not closures per execution). */
  private readonly services: RunnerServices;

  private constructor(options: EngineOptions) {
    this.store = options.store ?? new MemoryExecutionStore();
    this.clock = options.clock ?? new RealClock();
    this.integrations = options.integrations ?? {};
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.random = options.random ?? Math.random;
    this.services = {
      clock: this.clock,
      integrations: this.integrations,
      region: this.region,
      random: this.random,
      checkpoint: (r) => {
        if (!this.closed) this.store.putExecution(r);
      },
      flush: () => (this.closed ? Promise.resolve() : this.store.flush()),
      appendEvent: (r, e) => {
        if (this.closed) return;
        this.store.appendEvent(r.executionArn, e);
        if (this.listeners.size === 0) return;
        for (const l of this.listeners) {
          try {
            l({ executionArn: r.executionArn, stateMachineArn: r.stateMachineArn, event: e });
          } catch {
            // a listener's failure is not the execution's
          }
        }
      },
      registerToken: (token, waiter) => this.tokens.register(token, waiter),
      closeToken: (token, how) => this.tokens.close(token, how),
      startChildExecution: (parent, params, pattern, frame, signal) => this.startChild(parent, params, pattern, frame, signal),
      finished: (r) => this.executions.get(r.executionArn)?.resolveDone(),
    };
  }

  /** Creates an engine, loads the store and resumes every running execution. */
  static async start(options: EngineOptions = {}): Promise<Engine> {
    const engine = Engine.create(options);
    await engine.ready;
    return engine;
  }

  /** Creates an engine at once; it loads the store in the background and API calls wait for it. */
  static create(options: EngineOptions = {}): Engine {
    const engine = new Engine(options);
    engine.ready = engine.load();
    engine.ready.catch(() => undefined);
    return engine;
  }

  private async load(): Promise<void> {
    const state = await this.store.load();
    for (const sm of state.stateMachines) this.machines.set(sm.stateMachineArn, sm);
    const running: LiveExecution[] = [];
    for (const { record, history } of state.executions) {
      const live = this.track(record, history);
      if (record.status === 'RUNNING') running.push(live);
      else live.resolveDone();
    }
    for (const live of running) this.launch(live);
  }

  private track(record: ExecutionRecord, history: HistoryEvent[]): LiveExecution {
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const live: LiveExecution = { record, history, done, resolveDone };
    this.executions.set(record.executionArn, live);
    return live;
  }

  private launch(live: LiveExecution): void {
    const runner = new ExecutionRunner(live.record, live.history, this.services);
    live.runner = runner;
    runner.run().catch((e) => {
      // An engine bug must not leave the execution RUNNING forever.
      if (live.record.status === 'RUNNING' && !this.closed) {
        live.record.status = 'FAILED';
        live.record.error = 'States.Runtime';
        live.record.cause = `Internal engine error: ${(e as Error)?.stack ?? e}`;
        live.record.stopDate = this.clock.now();
        this.store.putExecution(live.record);
        live.resolveDone();
      }
    });
  }

  // ---- state machines ----------------------------------------------------------------------

  async createStateMachine(input: {
    name: string;
    definition: string;
    roleArn: string;
    type?: 'STANDARD' | 'EXPRESS';
    loggingConfiguration?: unknown;
    tracingConfiguration?: unknown;
    description?: string;
  }): Promise<{ stateMachineArn: string; creationDate: Date }> {
    await this.ready;
    const name = checkName(input.name);
    if (typeof input.roleArn !== 'string' || !input.roleArn.startsWith('arn:')) {
      throw new api.InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${String(input.roleArn)}'`);
    }
    validateDefinition(input.definition);
    const arn = makeStateMachineArn({ region: this.region, account: this.accountId }, name);
    const existing = this.machines.get(arn);
    const type = input.type ?? 'STANDARD';
    if (existing) {
      if (existing.definition === input.definition && existing.roleArn === input.roleArn && existing.type === type) {
        return { stateMachineArn: arn, creationDate: new Date(existing.creationDate) };
      }
      throw new api.StateMachineAlreadyExists(`State Machine Already Exists: '${arn}'`);
    }
    const record: StateMachineRecord = {
      stateMachineArn: arn,
      name,
      definition: input.definition,
      roleArn: input.roleArn,
      type,
      creationDate: this.clock.now(),
      loggingConfiguration: input.loggingConfiguration,
      tracingConfiguration: input.tracingConfiguration,
      revisionId: randomUUID(),
      description: input.description,
    };
    this.machines.set(arn, record);
    this.store.putStateMachine(record);
    await this.store.flush();
    return { stateMachineArn: arn, creationDate: new Date(record.creationDate) };
  }

  async updateStateMachine(input: {
    stateMachineArn: string;
    definition?: string;
    roleArn?: string;
    loggingConfiguration?: unknown;
    tracingConfiguration?: unknown;
  }): Promise<{ updateDate: Date; revisionId: string }> {
    await this.ready;
    const sm = this.machine(input.stateMachineArn);
    if (input.definition !== undefined) validateDefinition(input.definition);
    const updated: StateMachineRecord = {
      ...sm,
      definition: input.definition ?? sm.definition,
      roleArn: input.roleArn ?? sm.roleArn,
      loggingConfiguration: input.loggingConfiguration ?? sm.loggingConfiguration,
      tracingConfiguration: input.tracingConfiguration ?? sm.tracingConfiguration,
      updateDate: this.clock.now(),
      revisionId: randomUUID(),
    };
    this.machines.set(sm.stateMachineArn, updated);
    this.store.putStateMachine(updated);
    await this.store.flush();
    return { updateDate: new Date(updated.updateDate!), revisionId: updated.revisionId };
  }

  async describeStateMachine(input: { stateMachineArn: string }) {
    await this.ready;
    const sm = this.machine(input.stateMachineArn);
    return {
      stateMachineArn: sm.stateMachineArn,
      name: sm.name,
      status: 'ACTIVE' as const,
      definition: sm.definition,
      roleArn: sm.roleArn,
      type: sm.type,
      creationDate: new Date(sm.creationDate),
      loggingConfiguration: sm.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: sm.tracingConfiguration ?? { enabled: false },
      revisionId: sm.revisionId,
      ...(sm.description ? { description: sm.description } : {}),
    };
  }

  async listStateMachines(input: { maxResults?: number; nextToken?: string } = {}) {
    await this.ready;
    const all = [...this.machines.values()].sort((a, b) => a.creationDate - b.creationDate);
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return {
      stateMachines: page.map((sm) => ({ stateMachineArn: sm.stateMachineArn, name: sm.name, type: sm.type, creationDate: new Date(sm.creationDate) })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  async deleteStateMachine(input: { stateMachineArn: string }): Promise<Record<string, never>> {
    await this.ready;
    parseStateMachineArn(input.stateMachineArn);
    if (this.machines.delete(input.stateMachineArn)) {
      this.store.deleteStateMachine(input.stateMachineArn);
      await this.store.flush();
    }
    return {};
  }

  private machine(arn: string): StateMachineRecord {
    parseStateMachineArn(arn);
    const sm = this.machines.get(arn);
    if (!sm) throw new api.StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    return sm;
  }

  // ---- executions --------------------------------------------------------------------------

  async startExecution(input: { stateMachineArn: string; name?: string; input?: string; traceHeader?: string }): Promise<{ executionArn: string; startDate: Date }> {
    await this.ready;
    const live = this.createExecution(input);
    await this.store.flush();
    return { executionArn: live.record.executionArn, startDate: new Date(live.record.startDate) };
  }

  private createExecution(input: { stateMachineArn: string; name?: string; input?: string }, parent?: ExecutionRecord['parent']): LiveExecution {
    const sm = this.machine(input.stateMachineArn);
    const name = input.name === undefined ? randomUUID() : checkName(input.name);
    const text = input.input === undefined ? '{}' : input.input;
    const parsed = parseJsonInput(text, 'execution input');
    const arn = makeExecutionArn({ region: this.region, account: this.accountId }, sm.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      // Standard workflows: same name and input while running (or recently) → same execution.
      if (sm.type === 'STANDARD' && existing.record.input === text && existing.record.status === 'RUNNING') return existing;
      throw new api.ExecutionAlreadyExists(`Execution Already Exists: '${arn}'`);
    }
    const definition = parseDefinition(sm.definition);
    const now = this.clock.now();
    const rootFrame: FrameState = {
      id: '0',
      block: [],
      vars: {},
      queryLanguage: definition.QueryLanguage ?? 'JSONPath',
      stateName: definition.StartAt,
      input: parsed,
      enteredEventId: 0,
      enteredTime: now,
      entered: false,
      status: 'RUNNING',
    };
    const record: ExecutionRecord = {
      executionArn: arn,
      stateMachineArn: sm.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: now,
      input: text,
      definition: sm.definition,
      roleArn: sm.roleArn,
      timeoutDue: typeof definition.TimeoutSeconds === 'number' ? now + definition.TimeoutSeconds * 1000 : undefined,
      frames: { '0': rootFrame },
      rootFrameId: '0',
      nextFrameId: 1,
      parent,
      stateMachineType: sm.type,
    };
    const live = this.track(record, []);
    const started: HistoryEvent = {
      id: 1,
      previousEventId: 0,
      timestamp: now,
      type: 'ExecutionStarted',
      executionStartedEventDetails: { input: text, inputDetails: { truncated: false }, roleArn: sm.roleArn, stateMachineArn: sm.stateMachineArn },
    };
    live.history.push(started);
    rootFrame.lastEventId = 1;
    this.store.appendEvent(arn, started);
    this.store.putExecution(record);
    for (const l of this.listeners) l({ executionArn: arn, stateMachineArn: sm.stateMachineArn, event: started });
    this.launch(live);
    return live;
  }

  private execution(arn: string): LiveExecution {
    parseExecutionArn(arn);
    const live = this.executions.get(arn);
    if (!live) throw new api.ExecutionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
    return live;
  }

  async describeExecution(input: { executionArn: string }) {
    await this.ready;
    const r = this.execution(input.executionArn).record;
    return {
      ...executionSummary(r),
      input: r.input,
      inputDetails: { included: true },
      ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
      ...(r.error ? { error: r.error } : {}),
      ...(r.cause ? { cause: r.cause } : {}),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE' as const,
    };
  }

  async listExecutions(input: { stateMachineArn: string; statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string }) {
    await this.ready;
    this.machine(input.stateMachineArn);
    const all = [...this.executions.values()]
      .map((l) => l.record)
      .filter((r) => r.stateMachineArn === input.stateMachineArn && (!input.statusFilter || r.status === input.statusFilter))
      .sort((a, b) => b.startDate - a.startDate);
    const { page, nextToken } = paginate(all, input.maxResults, input.nextToken);
    return {
      executions: page.map(executionSummary),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  async getExecutionHistory(input: { executionArn: string; maxResults?: number; nextToken?: string; reverseOrder?: boolean; includeExecutionData?: boolean }) {
    await this.ready;
    const live = this.execution(input.executionArn);
    const events = input.reverseOrder ? [...live.history].reverse() : live.history;
    const { page, nextToken } = paginate(events, input.maxResults, input.nextToken);
    const includeData = input.includeExecutionData !== false;
    return { events: page.map((e) => toApiEvent(e, includeData)), ...(nextToken ? { nextToken } : {}) };
  }

  async stopExecution(input: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    await this.ready;
    const live = this.execution(input.executionArn);
    if (live.record.status === 'RUNNING') {
      live.runner?.abort(input.error, input.cause);
      await this.store.flush();
    }
    return { stopDate: new Date(live.record.stopDate ?? this.clock.now()) };
  }

  // ---- task tokens -------------------------------------------------------------------------

  private waiterFor(token: unknown): TokenWaiter {
    if (!isWellFormedToken(token)) throw new api.InvalidToken(`Invalid token`);
    const waiter = this.tokens.get(token);
    if (waiter) return waiter;
    if (this.tokens.closedAs(token) === 'timedOut') throw new api.TaskTimedOut('Task Timed Out');
    if (this.tokens.closedAs(token)) throw new api.TaskTimedOut('Task Timed Out');
    throw new api.TaskDoesNotExist('Task does not exist anymore');
  }

  async sendTaskSuccess(input: { taskToken: string; output: string }): Promise<Record<string, never>> {
    await this.ready;
    const waiter = this.waiterFor(input.taskToken);
    let output: unknown;
    try {
      output = JSON.parse(input.output);
    } catch (e) {
      throw new api.InvalidOutput(`Invalid output: ${(e as Error).message}`);
    }
    if (overPayloadQuota(input.output)) throw new api.InvalidOutput(`Invalid output: larger than ${PAYLOAD_QUOTA_BYTES} bytes`);
    waiter.succeed(output);
    return {};
  }

  async sendTaskFailure(input: { taskToken: string; error?: string; cause?: string }): Promise<Record<string, never>> {
    await this.ready;
    const waiter = this.waiterFor(input.taskToken);
    waiter.fail(input.error ?? '', input.cause ?? '');
    return {};
  }

  async sendTaskHeartbeat(input: { taskToken: string }): Promise<Record<string, never>> {
    await this.ready;
    this.waiterFor(input.taskToken).heartbeat();
    return {};
  }

  // ---- child executions (states:startExecution) --------------------------------------------

  private async startChild(parent: ExecutionRecord, params: unknown, pattern: IntegrationPattern, frame: FrameState, signal: AbortSignal): Promise<unknown> {
    const p = (params ?? {}) as Record<string, unknown>;
    const inputText = p.Input === undefined ? '{}' : typeof p.Input === 'string' ? p.Input : JSON.stringify(p.Input);
    let live: LiveExecution;
    try {
      live = this.createExecution(
        { stateMachineArn: p.StateMachineArn as string, name: p.Name as string | undefined, input: inputText },
        { executionArn: parent.executionArn, frameId: frame.id },
      );
    } catch (e) {
      const err = e as Error;
      throw new StatesError(`StepFunctions.${err.name}`, err.message);
    }
    const r = live.record;
    if (pattern === 'request' || pattern === 'waitForTaskToken') {
      return { ExecutionArn: r.executionArn, StartDate: new Date(r.startDate).toISOString() };
    }
    const onAbort = () => live.runner?.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await live.done;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
    const json = pattern === 'sync2';
    const out: Record<string, unknown> = {
      ExecutionArn: r.executionArn,
      Input: json ? JSON.parse(r.input) : r.input,
      InputDetails: { Included: true },
      Name: r.name,
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      StartDate: r.startDate,
      StateMachineArn: r.stateMachineArn,
      Status: r.status,
      StopDate: r.stopDate,
    };
    if (r.output !== undefined) {
      out.Output = json ? JSON.parse(r.output) : r.output;
      out.OutputDetails = { Included: true };
    }
    if (r.status !== 'SUCCEEDED') {
      if (r.error) out.Error = r.error;
      if (r.cause) out.Cause = r.cause;
      throw new StatesError('States.TaskFailed', JSON.stringify(out));
    }
    return out;
  }

  // ---- observation and lifecycle -------------------------------------------------------------

  /** Listens to every history event of every execution (for progress displays). */
  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with DescribeExecution once the execution has ended. */
  async waitForExecution(executionArn: string) {
    await this.ready;
    await this.execution(executionArn).done;
    return this.describeExecution({ executionArn });
  }

  /** Number of open task tokens (tasks waiting for a callback). */
  get openTaskTokens(): number {
    return this.tokens.size;
  }

  /**
   * Stops this engine: running executions stay RUNNING in the store (a new engine on the same
   * store resumes them). `flush: false` drops unflushed writes' follow-ups, like a crash.
   */
  async close(options: { flush?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    if (options.flush !== false) await this.store.flush();
    this.closed = true;
    for (const live of this.executions.values()) {
      if (live.record.status === 'RUNNING') live.runner?.detach();
    }
    if (options.flush !== false) await this.store.close();
  }
}

/** Creates an engine synchronously (the store loads in the background; API calls wait for it). */
export function createEngine(options: EngineOptions = {}): Engine {
  return Engine.create(options);
}
