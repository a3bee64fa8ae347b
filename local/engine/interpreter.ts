/**
 * Runs one execution: a tree of frames (the top level, Parallel branches, Map iterations), each
 * walking its block of states. All progress is kept in the ExecutionRecord (frames, variables,
 * due times, tokens), updated synchronously at each step and checkpointed, so a new engine can
 * resume the execution from the record alone.
 */
import { sleepUntil, type Clock } from './clock';
import { dataLimitExceeded, StatesError } from './errors';
import { evaluateTemplate } from './jsonata';
import { applyPayloadTemplate, applyResultPath } from './jsonpath';
import { makeEvent, NOT_TRUNCATED, overPayloadQuota, payloadText } from './history';
import type { IntegrationPattern, ServiceIntegrations } from './integrations';
import { findRetrier, isCatchable, errorMatches, maxAttempts, retryDelayMs, toStatesError, type Retrier } from './retry';
import { executeChoice } from './states/choice';
import { executeMap } from './states/map';
import { executeParallel } from './states/parallel';
import { executePass } from './states/pass';
import { FailStateError, jsonataScope, pathScope, type ChildrenOptions, type ContextExtras, type StateHost, type StateOutcome, type StateRun } from './states/run';
import { executeTask } from './states/task';
import { executeFail, executeSucceed } from './states/terminal';
import { executeWait } from './states/wait';
import type { TokenWaiter } from './tokens';
import type { ExecutionRecord, FrameState, HistoryEvent, QueryLanguage, StateDefinition, StatesBlock } from './types';

/** Reason a frame was aborted for (not an error of the state). */
export class Cancelled extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Cancelled';
  }
}

/** A state handler: synchronous when it needs no await (JSONPath Pass, Choice, Succeed, Fail). */
type StateHandler = (run: StateRun) => StateOutcome | Promise<StateOutcome>;

const HANDLERS: Record<string, StateHandler> = {
  Pass: executePass,
  Task: executeTask,
  Choice: executeChoice,
  Wait: executeWait,
  Succeed: executeSucceed,
  Fail: executeFail,
  Parallel: executeParallel,
  Map: executeMap,
};

/** `<Type>StateEntered` / `<Type>StateExited`, built once per type (not a new string per event). */
const EVENT_TYPES = new Map<string, { StateEntered: string; StateExited: string }>();
function eventType(stateType: string, suffix: 'StateEntered' | 'StateExited'): string {
  let t = EVENT_TYPES.get(stateType);
  if (t === undefined) {
    t = { StateEntered: `${stateType}StateEntered`, StateExited: `${stateType}StateExited` };
    if (EVENT_TYPES.size < 100) EVENT_TYPES.set(stateType, t);
  }
  return t[suffix];
}

const RETRYABLE = new Set(['Task', 'Parallel', 'Map']);
/**
 * States run synchronously one after the other (no await between them) at most this many times
 * in a row; then the frame yields a turn of the event loop (holding the clock), so a loop of
 * Pass/Choice states cannot starve timers, StopExecution or other executions.
 */
const MAX_SYNC_STATES = 1000;

/** An error a handler threw synchronously, carried into the retry loop. */
class Thrown {
  constructor(readonly error: unknown) {}
}

const parsedDefinitions = new Map<string, StatesBlock>();

/** Definitions are immutable once stored: parse each text once (executions share it read-only). */
export function parseDefinition(text: string): StatesBlock {
  let d = parsedDefinitions.get(text);
  if (!d) {
    d = JSON.parse(text) as StatesBlock;
    if (parsedDefinitions.size > 500) parsedDefinitions.clear();
    parsedDefinitions.set(text, d);
  }
  return d;
}

/** What the engine provides to a runner. */
export interface RunnerServices {
  clock: Clock;
  integrations: ServiceIntegrations;
  region: string;
  random: () => number;
  checkpoint(record: ExecutionRecord): void;
  flush(): Promise<void>;
  appendEvent(record: ExecutionRecord, event: HistoryEvent): void;
  registerToken(token: string, waiter: TokenWaiter): void;
  closeToken(token: string, how: 'timedOut' | 'closed'): void;
  startChildExecution(parent: ExecutionRecord, params: unknown, pattern: IntegrationPattern, frame: FrameState, signal: AbortSignal): Promise<unknown>;
  /** Called once when the execution reaches a final status. */
  finished(record: ExecutionRecord): void;
}

export class ExecutionRunner implements StateHost {
  private readonly root = new AbortController();
  private readonly definition: StatesBlock;
  private readonly blocks = new Map<string, StatesBlock>();
  /** `$$.Execution.Input` and `StartTime`, computed when a state first reads the context. */
  private executionContext?: { input: unknown; startTime: string };
  private readonly defaultLanguage: QueryLanguage;
  private timeoutTimer?: { id: number };
  private done = false;

  constructor(
    readonly record: ExecutionRecord,
    private readonly history: HistoryEvent[],
    private readonly services: RunnerServices,
  ) {
    this.definition = parseDefinition(record.definition);
    this.defaultLanguage = this.definition.QueryLanguage ?? 'JSONPath';
  }

  get clock(): Clock {
    return this.services.clock;
  }
  get integrations(): ServiceIntegrations {
    return this.services.integrations;
  }
  get executionArn(): string {
    return this.record.executionArn;
  }
  get region(): string {
    return this.services.region;
  }

  /** Runs (or resumes) the execution until it ends or is stopped. */
  async run(): Promise<void> {
    const rec = this.record;
    if (rec.timeoutDue !== undefined) {
      this.timeoutTimer = this.clock.setTimer(rec.timeoutDue, () => this.end('TIMED_OUT', 'States.Timeout', ''));
    }
    const rootFrame = rec.frames[rec.rootFrameId];
    await this.runFrame(rootFrame, this.root.signal);
    if (this.done) return;
    if (rootFrame.status === 'SUCCEEDED') this.end('SUCCEEDED', undefined, undefined, rootFrame.output);
    else if (rootFrame.status === 'FAILED') this.end('FAILED', rootFrame.error, rootFrame.cause);
  }

  /** Stops the execution (StopExecution). */
  abort(error?: string, cause?: string): void {
    this.end('ABORTED', error, cause);
  }

  /** Stops running without recording anything (engine shutdown): the store keeps it RUNNING. */
  detach(): void {
    if (this.done) return;
    this.done = true;
    if (this.timeoutTimer) this.clock.clearTimer(this.timeoutTimer);
    this.root.abort(new Cancelled('detached'));
  }

  private end(status: ExecutionRecord['status'], error?: string, cause?: string, output?: unknown): void {
    if (this.done) return;
    this.done = true;
    if (this.timeoutTimer) this.clock.clearTimer(this.timeoutTimer);
    if (status !== 'SUCCEEDED' && status !== 'FAILED') this.root.abort(new Cancelled(status));
    const rec = this.record;
    const rootFrame = rec.frames[rec.rootFrameId];
    rec.status = status;
    rec.stopDate = this.clock.now();
    const errorDetails = { ...(error ? { error } : {}), ...(cause ? { cause } : {}) };
    switch (status) {
      case 'SUCCEEDED':
        rec.output = payloadText(output);
        this.event(rootFrame, 'ExecutionSucceeded', { output: rec.output, outputDetails: NOT_TRUNCATED });
        break;
      case 'FAILED':
        this.event(rootFrame, 'ExecutionFailed', errorDetails);
        break;
      case 'TIMED_OUT':
        this.event(rootFrame, 'ExecutionTimedOut', errorDetails);
        break;
      case 'ABORTED':
        this.event(rootFrame, 'ExecutionAborted', errorDetails);
        break;
    }
    // A timed-out execution reports no error in DescribeExecution, only its status.
    if (error && status !== 'TIMED_OUT') rec.error = error;
    if (cause && status !== 'TIMED_OUT') rec.cause = cause;
    rec.frames = {};
    this.services.checkpoint(rec);
    this.services.finished(rec);
  }

  // ---- StateHost -------------------------------------------------------------------------

  context(frame: FrameState, extras?: ContextExtras): Record<string, unknown> {
    const rec = this.record;
    const ex = (this.executionContext ??= { input: JSON.parse(rec.input), startTime: new Date(rec.startDate).toISOString() });
    const ctx: Record<string, unknown> = {
      Execution: {
        Id: rec.executionArn,
        Input: ex.input,
        Name: rec.name,
        RoleArn: rec.roleArn,
        StartTime: ex.startTime,
        RedriveCount: 0,
      },
      StateMachine: { Id: rec.stateMachineArn, Name: rec.stateMachineArn.split(':').pop() },
      State: { Name: frame.stateName, EnteredTime: new Date(frame.enteredTime).toISOString() },
    };
    // Only states that can retry carry a RetryCount, as on AWS.
    const type = this.block(frame.block).States[frame.stateName]?.Type;
    if (RETRYABLE.has(type)) (ctx.State as Record<string, unknown>).RetryCount = frame.retryCount ?? 0;
    if (extras?.taskToken) ctx.Task = { Token: extras.taskToken };
    if (extras?.mapItem) ctx.Map = { Item: { Index: extras.mapItem.index, Value: extras.mapItem.value } };
    return ctx;
  }

  variables(frame: FrameState): Record<string, unknown> {
    const chain: FrameState[] = [];
    for (let f: FrameState | undefined = frame; f; f = f.parentId ? this.record.frames[f.parentId] : undefined) chain.push(f);
    if (chain.length === 1) return frame.vars;
    const out: Record<string, unknown> = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i].vars);
    return out;
  }

  event(frame: FrameState, type: string, details?: Record<string, unknown>): HistoryEvent {
    const previous = frame.lastEventId ?? this.history.length;
    const e = makeEvent(this.history, type, this.clock.now(), previous, details);
    frame.lastEventId = e.id;
    this.services.appendEvent(this.record, e);
    return e;
  }

  checkpoint(): void {
    this.services.checkpoint(this.record);
  }

  flush(): Promise<void> {
    return this.services.flush();
  }

  registerToken(token: string, waiter: Omit<TokenWaiter, 'executionArn'>): void {
    this.services.registerToken(token, { ...waiter, executionArn: this.record.executionArn });
  }

  closeToken(token: string, how: 'timedOut' | 'closed'): void {
    this.services.closeToken(token, how);
  }

  startChildExecution(params: unknown, pattern: IntegrationPattern, frame: FrameState, signal: AbortSignal): Promise<unknown> {
    return this.services.startChildExecution(this.record, params, pattern, frame, signal);
  }

  // ---- frames ----------------------------------------------------------------------------

  private block(path: string[]): StatesBlock {
    if (path.length === 0) return this.definition;
    const key = path.join('\u0000');
    let b = this.blocks.get(key);
    if (!b) {
      let cur: any = this.definition;
      for (const p of path) cur = cur[p];
      b = cur as StatesBlock;
      this.blocks.set(key, b);
    }
    return b;
  }

  private async runFrame(frame: FrameState, signal: AbortSignal): Promise<void> {
    let syncStates = 0;
    while (frame.status === 'RUNNING') {
      if (signal.aborted) return;
      const state = this.block(frame.block).States[frame.stateName];
      if (!frame.entered) {
        frame.entered = true;
        frame.enteredTime = this.clock.now();
        const e = this.event(frame, eventType(state.Type, 'StateEntered'), { name: frame.stateName, input: payloadText(frame.input), inputDetails: NOT_TRUNCATED });
        frame.enteredEventId = e.id;
        this.checkpoint();
      }
      const run: StateRun = {
        host: this,
        frame,
        name: frame.stateName,
        state,
        lang: (state.QueryLanguage as QueryLanguage | undefined) ?? this.defaultLanguage,
        signal,
      };
      let outcome: StateOutcome;
      try {
        const r = this.runState(run);
        if (r instanceof Promise) {
          outcome = await r;
          syncStates = 0;
        } else outcome = r;
      } catch (e) {
        if (signal.aborted) return;
        const err = this.describe(run, toStatesError(e));
        this.failFrame(frame, err);
        return;
      }
      if (signal.aborted) return;
      this.exitState(run, outcome);
      if (++syncStates >= MAX_SYNC_STATES) {
        syncStates = 0;
        await this.yieldTurn();
      }
    }
  }

  /** One turn of the event loop, holding the clock (a test clock does not skip time meanwhile). */
  private async yieldTurn(): Promise<void> {
    const release = this.clock.hold?.();
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
    } finally {
      release?.();
    }
  }

  /** AWS prefixes data-processing errors with the state they happened in. */
  private describe(run: StateRun, err: StatesError): StatesError {
    if (err instanceof FailStateError) return err;
    if ((err.error === 'States.Runtime' || err.error === 'States.QueryEvaluationError') && !err.cause.startsWith('An error occurred while executing the state')) {
      return new StatesError(err.error, `An error occurred while executing the state '${run.name}' (entered at the event id #${run.frame.enteredEventId}). ${err.cause}`);
    }
    return err;
  }

  private failFrame(frame: FrameState, err: StatesError): void {
    frame.status = 'FAILED';
    frame.error = err.error;
    frame.cause = err.cause;
    this.checkpoint();
  }

  private exitState(run: StateRun, outcome: StateOutcome): void {
    const { frame, state } = run;
    const text = payloadText(outcome.output);
    if (overPayloadQuota(text)) {
      this.failFrame(
        frame,
        dataLimitExceeded(run.name),
      );
      return;
    }
    const details: Record<string, unknown> = { name: run.name, output: text, outputDetails: NOT_TRUNCATED };
    if (outcome.assign && Object.keys(outcome.assign).length) {
      const assigned: Record<string, string> = {};
      for (const [k, v] of Object.entries(outcome.assign)) assigned[k] = payloadText(v);
      details.assignedVariables = assigned;
      details.assignedVariablesDetails = NOT_TRUNCATED;
      Object.assign(frame.vars, outcome.assign);
    }
    if (state.Type !== 'Fail') this.event(frame, eventType(state.Type, 'StateExited'), details);
    frame.attempts = undefined;
    frame.retryCount = undefined;
    frame.retryDue = undefined;
    frame.waitDue = undefined;
    frame.task = undefined;
    frame.children = undefined;
    if (outcome.end || outcome.next === undefined) {
      frame.status = 'SUCCEEDED';
      frame.output = outcome.output;
    } else {
      frame.stateName = outcome.next;
      frame.input = outcome.output;
      frame.entered = false;
    }
    this.checkpoint();
  }

  /**
   * Runs a state's handler under its Retry and Catch rules. The outcome of a handler that
   * finished synchronously is returned as is (no promise); otherwise `settleState` takes over.
   */
  private runState(run: StateRun): StateOutcome | Promise<StateOutcome> {
    const handler = HANDLERS[run.state.Type];
    if (!handler) throw new StatesError('States.Runtime', `Unsupported state type ${run.state.Type}`);
    if (run.frame.retryDue !== undefined) return this.settleState(run, handler, undefined);
    let r: StateOutcome | Promise<StateOutcome>;
    try {
      r = handler(run);
    } catch (e) {
      return this.settleState(run, handler, new Thrown(e));
    }
    return r instanceof Promise ? this.settleState(run, handler, r) : r;
  }

  /** The handler's pending outcome (or error), then retries as the Retry rules say, then Catch. */
  private async settleState(run: StateRun, handler: StateHandler, first: Promise<StateOutcome> | Thrown | undefined): Promise<StateOutcome> {
    const { frame, state } = run;
    let pending = first;
    for (;;) {
      if (pending === undefined) {
        if (frame.retryDue !== undefined) {
          await sleepUntil(this.clock, frame.retryDue, run.signal);
          frame.retryDue = undefined;
        }
        try {
          pending = handler(run) as Promise<StateOutcome>;
        } catch (e) {
          pending = new Thrown(e);
        }
      }
      try {
        const current = pending;
        pending = undefined;
        if (current instanceof Thrown) throw current.error;
        return await current;
      } catch (e) {
        if (run.signal.aborted) throw e;
        const err = this.describe(run, toStatesError(e));
        if (!RETRYABLE.has(state.Type) || err instanceof FailStateError || !isCatchable(err.error)) throw err;
        frame.children = undefined;
        frame.task = undefined;
        const retriers = state.Retry as Retrier[] | undefined;
        const idx = findRetrier(retriers, err.error);
        if (idx >= 0) {
          const r = retriers![idx];
          const attempts = (frame.attempts ??= []);
          const n = attempts[idx] ?? 0;
          if (n < maxAttempts(r)) {
            attempts[idx] = n + 1;
            frame.retryCount = (frame.retryCount ?? 0) + 1;
            frame.retryDue = this.clock.now() + retryDelayMs(r, n, this.services.random);
            this.checkpoint();
            continue;
          }
        }
        const catchers = (state.Catch ?? []) as Record<string, any>[];
        const catcher = catchers.find((c) => errorMatches(c.ErrorEquals, err.error));
        if (catcher) return this.caught(run, catcher, err);
        throw err;
      }
    }
  }

  private async caught(run: StateRun, catcher: Record<string, any>, err: StatesError): Promise<StateOutcome> {
    const errorOutput = { Error: err.error, Cause: err.cause };
    const next = catcher.Next as string;
    if (run.lang === 'JSONata') {
      const scope = jsonataScope(run, { errorOutput });
      const assign = catcher.Assign !== undefined ? ((await evaluateTemplate(catcher.Assign, scope, 'Assign')) as Record<string, unknown>) : undefined;
      const output = catcher.Output !== undefined ? await evaluateTemplate(catcher.Output, scope, 'Output') : errorOutput;
      return { output, assign, next };
    }
    const assign = catcher.Assign !== undefined ? (applyPayloadTemplate(catcher.Assign, pathScope(run, errorOutput), 'Assign') as Record<string, unknown>) : undefined;
    const rp = 'ResultPath' in catcher ? (catcher.ResultPath as string | null) : undefined;
    return { output: applyResultPath(run.frame.input, rp, errorOutput), assign, next };
  }

  /** Runs the children of a Parallel/Map state, with MaxConcurrency and failure tolerance. */
  async runChildren(run: StateRun, options: ChildrenOptions): Promise<unknown[]> {
    const parent = run.frame;
    const ch = parent.children!;
    const isMap = ch.kind === 'map';
    const total = ch.frames.length;
    const tolerant = options.toleratedFailureCount !== undefined || options.toleratedFailurePercentage !== undefined;
    const controller = new AbortController();
    const onAbort = () => controller.abort(run.signal.reason);
    if (run.signal.aborted) controller.abort(run.signal.reason);
    else run.signal.addEventListener('abort', onAbort, { once: true });
    let failure: StatesError | undefined;

    const exceeded = () => {
      if (!tolerant) return ch.failures > 0;
      if (options.toleratedFailureCount !== undefined && ch.failures > options.toleratedFailureCount) return true;
      if (options.toleratedFailurePercentage !== undefined && total > 0 && (ch.failures / total) * 100 > options.toleratedFailurePercentage) return true;
      return false;
    };

    const runOne = async (slot: number) => {
      let child = ch.frames[slot] ? this.record.frames[ch.frames[slot]!] : undefined;
      if (!child) {
        const input = await options.inputFor(slot);
        if (controller.signal.aborted || failure) return;
        const blockPath = options.blockFor(slot);
        const block = this.block(blockPath);
        child = {
          id: String(this.record.nextFrameId++),
          parentId: parent.id,
          block: blockPath,
          vars: {},
          queryLanguage: this.defaultLanguage,
          slot,
          stateName: block.StartAt,
          input,
          enteredEventId: 0,
          enteredTime: this.clock.now(),
          entered: false,
          status: 'RUNNING',
          lastEventId: parent.lastEventId,
        };
        this.record.frames[child.id] = child;
        ch.frames[slot] = child.id;
        if (isMap) this.event(parent, 'MapIterationStarted', { name: run.name, index: slot });
        this.checkpoint();
      }
      await this.runFrame(child, controller.signal);
      if (controller.signal.aborted && child.status === 'RUNNING') {
        if (isMap) this.event(parent, 'MapIterationAborted', { name: run.name, index: slot });
        delete this.record.frames[child.id];
        return;
      }
      if (child.status === 'SUCCEEDED') {
        ch.results[slot] = child.output;
        ch.done[slot] = true;
        if (isMap) this.event(parent, 'MapIterationSucceeded', { name: run.name, index: slot });
      } else if (child.status === 'FAILED') {
        ch.failures++;
        ch.done[slot] = true;
        ch.results[slot] = null;
        if (isMap) this.event(parent, 'MapIterationFailed', { name: run.name, index: slot });
        if (!failure && exceeded()) {
          failure = tolerant
            ? new StatesError('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded')
            : new StatesError(child.error ?? '', child.cause ?? '');
          controller.abort(new Cancelled('sibling failed'));
        }
      }
      delete this.record.frames[child.id];
      this.checkpoint();
    };

    const pending: number[] = [];
    for (let i = 0; i < total; i++) if (!ch.done[i]) pending.push(i);
    let cursor = 0;
    const limit = options.maxConcurrency > 0 ? Math.min(options.maxConcurrency, pending.length) : pending.length;
    const worker = async () => {
      while (!failure && !controller.signal.aborted) {
        const slot = pending[cursor++];
        if (slot === undefined) return;
        await runOne(slot);
      }
    };
    try {
      await Promise.all(Array.from({ length: limit }, worker));
    } finally {
      run.signal.removeEventListener('abort', onAbort);
    }
    if (run.signal.aborted) throw run.signal.reason;
    if (failure) throw failure;
    return ch.results.slice(0, total);
  }
}

export type { StateDefinition };
