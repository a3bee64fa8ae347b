/**
 * Task: runs a service integration with the state's parameters, under TimeoutSeconds and
 * HeartbeatSeconds, and records the Task* (or LambdaFunction*) history events AWS records.
 */
import { sleepUntil, type Clock, type TimerHandle } from '../clock';
import { dataLimitExceeded, StatesError } from '../errors';
import { overPayloadQuota, payloadText, NOT_TRUNCATED } from '../history';
import { callIntegration, isLambda, lambdaInvokeError, lambdaResult, parseResource, startLambda, type IntegrationContext, type LambdaInvokeResponse, type ParsedResource } from '../integrations';
import { evaluateTemplate } from '../jsonata';
import { toStatesError } from '../retry';
import { newTaskToken } from '../tokens';
import type { FrameState } from '../types';
import { applyInputPath, readStatePath, applyTemplate, finishPath, finishState, jsonataScope, outcomeOf, type StateOutcome, type StateRun } from './run';

/**
 * A task result over the payload quota fails the task with States.DataLimitExceeded (a task
 * failure: Retry and Catch apply, as AWS records), naming the resource (the function ARN for a
 * plain Lambda resource, else the integration's resource type).
 */
function checkResultSize(resource: ParsedResource, result: unknown): void {
  if (overPayloadQuota(payloadText(result))) throw dataLimitExceeded(resource.plainLambda ?? resource.resourceType);
}

function positiveSeconds(v: unknown, field: string, path?: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0 || v > 99999999) {
    throw new StatesError(
      'States.Runtime',
      path
        ? `The ${field}Path field refers to value ${JSON.stringify(v)} which is not a valid positive integer: ${path}`
        : `The ${field} field must be a positive integer, but was: ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function hasSecondsField(s: StateRun['state'], field: 'TimeoutSeconds' | 'HeartbeatSeconds'): boolean {
  return s[field] !== undefined || s[`${field}Path`] !== undefined;
}

async function secondsField(run: StateRun, field: 'TimeoutSeconds' | 'HeartbeatSeconds', effective: unknown): Promise<number | undefined> {
  const s = run.state;
  if (s[field] !== undefined) {
    const v = run.lang === 'JSONata' ? await evaluateTemplate(s[field], jsonataScope(run), field) : s[field];
    return positiveSeconds(v, field);
  }
  const p = s[`${field}Path`];
  if (p !== undefined) return positiveSeconds(readStatePath(run, p, effective), field, p);
  return undefined;
}

/** Something to tell when a signal aborts (an object with a method: no closure per task). */
interface AbortWaiter {
  cancel(reason: unknown): void;
}

/**
 * Waiters for the abort of a signal: one listener per signal (an execution's tasks share their
 * frame's signal), a Set entry per task, instead of an `addEventListener` and a
 * `removeEventListener` per task.
 */
const abortWaiters = new WeakMap<AbortSignal, Set<AbortWaiter>>();

function onAbort(signal: AbortSignal, w: AbortWaiter): Set<AbortWaiter> {
  let set = abortWaiters.get(signal);
  if (set === undefined) {
    const waiting = (set = new Set());
    abortWaiters.set(signal, waiting);
    signal.addEventListener(
      'abort',
      () => {
        for (const g of [...waiting]) g.cancel(signal.reason);
        waiting.clear();
      },
      { once: true },
    );
  }
  set.add(w);
  return set;
}

/** Rejects with the signal's reason as soon as it aborts, whatever the promise does. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const w: AbortWaiter = { cancel: reject };
    const waiting = onAbort(signal, w);
    promise.then(
      (v) => {
        waiting.delete(w);
        resolve(v);
      },
      (e) => {
        waiting.delete(w);
        reject(e);
      },
    );
  });
}

export function executeTask(run: StateRun): StateOutcome | Promise<StateOutcome> {
  const s = run.state;
  const parsed = parseResource(s.Resource);
  if ('unsupported' in parsed) throw new StatesError('States.Runtime', parsed.unsupported);
  // The common case (JSONPath, request-response, no timeout or heartbeat): one promise per task.
  if (run.lang === 'JSONPath' && parsed.pattern === 'request' && !hasSecondsField(s, 'TimeoutSeconds') && !hasSecondsField(s, 'HeartbeatSeconds')) {
    const effective = applyInputPath(run);
    const params = s.Parameters !== undefined ? applyTemplate(run, s.Parameters, effective, 'Parameters') : effective;
    return quickTask(run, parsed, params);
  }
  return executeTaskAsync(run, parsed);
}

async function executeTaskAsync(run: StateRun, parsed: ParsedResource): Promise<StateOutcome> {
  const s = run.state;
  const effective = run.lang === 'JSONPath' ? applyInputPath(run) : run.frame.input;
  const timeoutSeconds = hasSecondsField(s, 'TimeoutSeconds') ? await secondsField(run, 'TimeoutSeconds', effective) : undefined;
  const heartbeatSeconds = hasSecondsField(s, 'HeartbeatSeconds') ? await secondsField(run, 'HeartbeatSeconds', effective) : undefined;

  const needsToken = parsed.pattern === 'waitForTaskToken';
  const resumed = run.frame.task;
  const token = needsToken ? (resumed?.token ?? newTaskToken()) : undefined;
  const extras = token ? { taskToken: token } : undefined;
  let params: unknown;
  if (run.lang === 'JSONata') {
    params = s.Arguments !== undefined ? await evaluateTemplate(s.Arguments, jsonataScope(run, {}, extras), 'Arguments') : run.frame.input;
  } else {
    params = s.Parameters !== undefined ? applyTemplate(run, s.Parameters, effective, 'Parameters', extras) : effective;
  }

  const result = await runTask(run, parsed, params, { timeoutSeconds, heartbeatSeconds, token });
  return outcomeOf(s, await finishState(run, result, { resultSelector: true, resultPath: true, extras }));
}

/**
 * A request-response task without timers or token: the frame's signal is its only abort, so
 * no controller, timers or `raceAbort` layer. Records the same events as `runTask`; settles one
 * promise with the state's outcome (ResultSelector, ResultPath, OutputPath applied).
 */
function quickTask(run: StateRun, resource: ParsedResource, params: unknown): Promise<StateOutcome> {
  const { host, frame, signal } = run;
  frame.task = { dispatched: false };
  recordStart(run, resource, params, {});
  host.checkpoint();
  const task = new QuickTask(run, resource, new TaskContext(signal, host.clock, host.executionArn, run.name, undefined));
  return new Promise<StateOutcome>((resolve, reject) => task.start(params, resolve, reject));
}

/** The state of one `quickTask` (methods, not closures: one object per task). */
class QuickTask implements AbortWaiter {
  private settled = false;
  private waiting?: Set<AbortWaiter>;
  private resolve!: (o: StateOutcome) => void;
  private reject!: (e: unknown) => void;
  private readonly lambda: boolean;

  constructor(
    private readonly run: StateRun,
    private readonly resource: ParsedResource,
    private readonly ctx: TaskContext,
  ) {
    this.lambda = isLambda(resource);
  }

  start(params: unknown, resolve: (o: StateOutcome) => void, reject: (e: unknown) => void): void {
    this.resolve = resolve;
    this.reject = reject;
    const { run, resource } = this;
    let pending: Promise<unknown>;
    try {
      pending = this.lambda ? startLambda(run.host.integrations, resource, params, this.ctx) : dispatch(run, resource, params, this.ctx);
    } catch (e) {
      this.settle();
      return this.fail(e);
    }
    if (run.signal.aborted) {
      pending.catch(() => undefined);
      return this.cancel(run.signal.reason);
    }
    this.waiting = onAbort(run.signal, this);
    pending.then(
      (v) => this.succeeded(v),
      (e) => this.failed(e),
    );
  }

  /** The frame was cancelled: the task ends now, whatever the integration does. */
  cancel(reason: unknown): void {
    if (this.settled) return;
    this.settle();
    this.reject(reason);
  }

  private settle(): void {
    this.settled = true;
    this.waiting?.delete(this);
    this.ctx.releaseHold();
    this.run.frame.task = undefined;
  }

  private succeeded(response: unknown): void {
    if (this.settled) return;
    this.settle();
    const { run, resource } = this;
    let result: unknown;
    try {
      result = this.lambda ? lambdaResult(resource, response as LambdaInvokeResponse) : response;
      checkResultSize(resource, result);
    } catch (e) {
      return this.fail(e);
    }
    recordSuccess(run, resource, result);
    let outcome: StateOutcome;
    try {
      outcome = outcomeOf(run.state, finishPath(run, result, { resultSelector: true, resultPath: true }));
    } catch (e) {
      return this.reject(e);
    }
    this.resolve(outcome);
  }

  private failed(e: unknown): void {
    if (this.settled) return;
    this.settle();
    this.fail(this.lambda ? lambdaInvokeError(e) : e);
  }

  private fail(e: unknown): void {
    if (this.run.signal.aborted) return this.reject(e);
    const err = toStatesError(e);
    recordFailure(this.run, this.resource, err);
    this.reject(err);
  }
}

/** `LambdaFunctionScheduled`/`Started` or `TaskScheduled`/`Started`. */
function recordStart(run: StateRun, resource: ParsedResource, params: unknown, limits: TaskLimits): void {
  const { host, frame } = run;
  if (resource.plainLambda !== undefined) {
    host.event(frame, 'LambdaFunctionScheduled', {
      resource: resource.plainLambda,
      input: payloadText(params),
      inputDetails: NOT_TRUNCATED,
      ...(limits.timeoutSeconds ? { timeoutInSeconds: limits.timeoutSeconds } : {}),
    });
    host.event(frame, 'LambdaFunctionStarted');
  } else {
    host.event(frame, 'TaskScheduled', {
      resourceType: resource.resourceType,
      resource: resource.resourceName,
      region: host.region,
      parameters: payloadText(params),
      ...(limits.timeoutSeconds ? { timeoutInSeconds: limits.timeoutSeconds } : {}),
      ...(limits.heartbeatSeconds ? { heartbeatInSeconds: limits.heartbeatSeconds } : {}),
    });
    host.event(frame, 'TaskStarted', { resourceType: resource.resourceType, resource: resource.resourceName });
  }
}

function recordSuccess(run: StateRun, resource: ParsedResource, result: unknown): void {
  if (resource.plainLambda !== undefined) run.host.event(run.frame, 'LambdaFunctionSucceeded', { output: payloadText(result), outputDetails: NOT_TRUNCATED });
  else run.host.event(run.frame, 'TaskSucceeded', { resourceType: resource.resourceType, resource: resource.resourceName, output: payloadText(result), outputDetails: NOT_TRUNCATED });
}

const isTimeout = (err: StatesError): boolean => err.error === 'States.Timeout' || err.error === 'States.HeartbeatTimeout';

function recordFailure(run: StateRun, resource: ParsedResource, err: StatesError, timedOut = isTimeout(err)): void {
  const details = { error: err.error, cause: err.cause };
  if (resource.plainLambda !== undefined) run.host.event(run.frame, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', details);
  else run.host.event(run.frame, timedOut ? 'TaskTimedOut' : 'TaskFailed', { resourceType: resource.resourceType, resource: resource.resourceName, ...details });
}

interface TaskLimits {
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  token?: string;
}

async function runTask(run: StateRun, resource: ParsedResource, params: unknown, limits: TaskLimits): Promise<unknown> {
  const { host, frame } = run;
  const clock = host.clock;
  const resumedWait = frame.task?.dispatched === true && limits.token !== undefined && frame.task.token === limits.token;

  if (!resumedWait) {
    const now = clock.now();
    frame.task = {
      token: limits.token,
      timeoutDue: limits.timeoutSeconds ? now + limits.timeoutSeconds * 1000 : undefined,
      heartbeatDue: limits.heartbeatSeconds && resource.pattern !== 'request' ? now + limits.heartbeatSeconds * 1000 : undefined,
      heartbeatSeconds: limits.heartbeatSeconds,
      dispatched: false,
    };
    recordStart(run, resource, params, limits);
    host.checkpoint();
  }
  const task = frame.task!;

  // The task's own abort: the frame's cancellation, a timeout or a missed heartbeat. Without
  // timers (the common case) the frame's signal is enough, which saves a controller per task.
  const needsOwnSignal = task.timeoutDue !== undefined || task.heartbeatDue !== undefined || resource.pattern === 'waitForTaskToken';
  const guard = needsOwnSignal ? new TaskGuard(clock, task, run.signal) : undefined;
  const signal = guard ? guard.controller.signal : run.signal;
  const ctx = new TaskContext(signal, clock, host.executionArn, run.name, limits.token);

  try {
    let result: unknown;
    if (resource.pattern === 'waitForTaskToken') {
      const token = limits.token!;
      const callback = new Promise<unknown>((resolve, reject) => {
        host.registerToken(token, {
          frameId: frame.id,
          succeed: resolve,
          fail: (error, cause) => reject(new StatesError(error, cause)),
          heartbeat: () => {
            if (task.heartbeatSeconds) {
              task.heartbeatDue = clock.now() + task.heartbeatSeconds * 1000;
              guard!.armHeartbeat();
              host.checkpoint();
            }
          },
        });
      });
      callback.catch(() => undefined);
      if (!resumedWait) {
        // The token must be durable before anyone outside can hold it.
        await host.flush();
        const submitted = await raceAbort(dispatch(run, resource, params, ctx), signal);
        task.dispatched = true;
        host.event(frame, 'TaskSubmitted', { resourceType: resource.resourceType, resource: resource.resourceName, output: payloadText(submitted), outputDetails: NOT_TRUNCATED });
        host.checkpoint();
      }
      ctx.releaseHold();
      result = await raceAbort(callback, signal);
    } else {
      result = await raceAbort(dispatch(run, resource, params, ctx), signal);
    }
    checkResultSize(resource, result);
    recordSuccess(run, resource, result);
    if (limits.token) host.closeToken(limits.token, 'closed');
    return result;
  } catch (e) {
    if (run.signal.aborted) {
      // Stopped (StopExecution, a failed sibling branch, the execution's timeout): the token dies
      // with the task, so a late SendTask* gets TaskTimedOut, as on AWS, instead of succeeding.
      if (limits.token) host.closeToken(limits.token, 'closed');
      throw e;
    }
    const err = toStatesError(e);
    const timedOut = isTimeout(err);
    if (limits.token) host.closeToken(limits.token, timedOut ? 'timedOut' : 'closed');
    recordFailure(run, resource, err, timedOut);
    throw err;
  } finally {
    ctx.releaseHold();
    guard?.dispose();
    frame.task = undefined;
  }
}

type TaskState = NonNullable<FrameState['task']>;

/** The task's own abort signal: the frame's cancellation, the task timeout, the heartbeat timeout. */
class TaskGuard {
  readonly controller = new AbortController();
  private readonly onFrameAbort = () => this.controller.abort(this.frameSignal.reason);
  private timeoutTimer?: TimerHandle;
  private heartbeatTimer?: TimerHandle;

  constructor(
    private readonly clock: Clock,
    private readonly task: TaskState,
    private readonly frameSignal: AbortSignal,
  ) {
    if (frameSignal.aborted) this.controller.abort(frameSignal.reason);
    else frameSignal.addEventListener('abort', this.onFrameAbort, { once: true });
    if (task.timeoutDue !== undefined) {
      this.timeoutTimer = clock.setTimer(task.timeoutDue, () => this.controller.abort(new StatesError('States.Timeout', '')));
    }
    this.armHeartbeat();
  }

  armHeartbeat(): void {
    if (this.heartbeatTimer) this.clock.clearTimer(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    if (this.task.heartbeatDue !== undefined) {
      this.heartbeatTimer = this.clock.setTimer(this.task.heartbeatDue, () => this.controller.abort(new StatesError('States.HeartbeatTimeout', '')));
    }
  }

  dispose(): void {
    this.frameSignal.removeEventListener('abort', this.onFrameAbort);
    if (this.timeoutTimer) this.clock.clearTimer(this.timeoutTimer);
    if (this.heartbeatTimer) this.clock.clearTimer(this.heartbeatTimer);
  }
}

/**
 * What an integration handler gets. The engine holds the clock while the handler runs (a
 * test clock does not skip time meanwhile), except inside `sleep` (simulated latency).
 */
class TaskContext implements IntegrationContext {
  private release?: () => void;

  constructor(
    readonly signal: AbortSignal,
    readonly clock: Clock,
    readonly executionArn: string,
    readonly stateName: string,
    readonly taskToken: string | undefined,
  ) {
    this.release = clock.hold?.();
  }

  private boundSleep?: (ms: number) => Promise<void>;

  /** Bound on first use: handlers may take `sleep` off the context (most never use it). */
  get sleep(): (ms: number) => Promise<void> {
    return (this.boundSleep ??= this.sleepFor.bind(this));
  }

  private async sleepFor(ms: number): Promise<void> {
    this.releaseHold();
    try {
      await sleepUntil(this.clock, this.clock.now() + ms, this.signal);
    } finally {
      this.release = this.clock.hold?.();
    }
  }

  releaseHold(): void {
    const r = this.release;
    this.release = undefined;
    r?.();
  }
}

function dispatch(run: StateRun, resource: ParsedResource, params: unknown, ctx: IntegrationContext): Promise<unknown> {
  if (resource.service === 'states' && !resource.awsSdk) {
    return run.host.startChildExecution(params, resource.pattern, run.frame, ctx.signal);
  }
  return callIntegration(run.host.integrations, resource, params, ctx);
}
