/**
 * What a state handler gets (`StateRun`) and the input/output pipeline shared by the states:
 * JSONPath (InputPath → Parameters → result → ResultSelector → ResultPath → OutputPath) and
 * JSONata (Arguments → result → Output, with `$states`). Assign is evaluated here too, with the
 * variable values from state entry: new values become visible at the next state.
 */
import { StatesError } from '../errors';
import { evaluateTemplate, type JsonataScope } from '../jsonata';
import { applyPayloadTemplate, applyResultPath, readScopedPath, type Scope } from '../jsonpath';
import { knownPayloadText, payloadText, rememberPayloadText } from '../history';
import type { Clock } from '../clock';
import type { IntegrationPattern, ServiceIntegrations } from '../integrations';
import type { TokenWaiter } from '../tokens';
import type { FrameState, HistoryEvent, QueryLanguage, StateDefinition } from '../types';

export interface StateOutcome {
  output: unknown;
  next?: string;
  end?: boolean;
  /** Variables assigned by the state, applied when it exits. */
  assign?: Record<string, unknown>;
}

export interface ContextExtras {
  taskToken?: string;
  mapItem?: { index: number; value: unknown };
}

/** The interpreter services a state handler uses (implemented by ExecutionRunner). */
export interface StateHost {
  readonly clock: Clock;
  readonly executionArn: string;
  readonly region: string;
  context(frame: FrameState, extras?: ContextExtras): Record<string, unknown>;
  variables(frame: FrameState): Record<string, unknown>;
  event(frame: FrameState, type: string, details?: Record<string, unknown>): HistoryEvent;
  checkpoint(): void;
  readonly integrations: ServiceIntegrations;
  /** Resolves once everything checkpointed so far is durable. */
  flush(): Promise<void>;
  registerToken(token: string, waiter: Omit<TokenWaiter, 'executionArn'>): void;
  closeToken(token: string, how: 'timedOut' | 'closed'): void;
  /** `states:startExecution` (the engine runs the child itself). */
  startChildExecution(params: unknown, pattern: IntegrationPattern, frame: FrameState, signal: AbortSignal): Promise<unknown>;
  /** Runs the children of a Parallel or Map state (the frame's `children`). */
  runChildren(run: StateRun, options: ChildrenOptions): Promise<unknown[]>;
}

export interface ChildrenOptions {
  /** Block path (from the definition root) of the branch / item processor for each slot. */
  blockFor(slot: number): string[];
  /** Input of the child at `slot` (evaluated when it starts). */
  inputFor(slot: number): Promise<unknown>;
  maxConcurrency: number;
  /** Map only: failures tolerated before the state fails. */
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

export interface StateRun {
  readonly host: StateHost;
  readonly frame: FrameState;
  readonly name: string;
  readonly state: StateDefinition;
  readonly lang: QueryLanguage;
  /** Aborted when the frame is cancelled (execution stopped or timed out, sibling branch failed). */
  readonly signal: AbortSignal;
}

/** Raised by a Fail state: ends the frame, never retried or caught by the state itself. */
export class FailStateError extends StatesError {
  readonly failState = true;
}

export function pathScope(run: StateRun, input: unknown, extras?: ContextExtras): Scope {
  return { input, context: run.host.context(run.frame, extras), variables: run.host.variables(run.frame) };
}

export function jsonataScope(run: StateRun, extra: { result?: unknown; errorOutput?: unknown } = {}, extras?: ContextExtras): JsonataScope {
  const states: JsonataScope['states'] = { input: run.frame.input, context: run.host.context(run.frame, extras) };
  if ('result' in extra) states.result = extra.result;
  if ('errorOutput' in extra) states.errorOutput = extra.errorOutput;
  return { states, variables: run.host.variables(run.frame) };
}

/** Reads a path of a JSONPath field: `$.x` from `data`, `$$.x` from the context, `$name.x` from a variable. */
export function readStatePath(run: StateRun, path: string, data: unknown, use?: string): unknown {
  return readScopedPath(path, pathScope(run, data), use);
}

/** JSONPath InputPath: absent → whole input, null → `{}`. */
export function applyInputPath(run: StateRun): unknown {
  const s = run.state;
  if (!('InputPath' in s) || s.InputPath === undefined) return run.frame.input;
  if (s.InputPath === null) return {};
  return readStatePath(run, s.InputPath, run.frame.input, 'InputPath');
}

/** JSONPath OutputPath: absent → value, null → `{}`. */
export function applyOutputPath(run: StateRun, value: unknown): unknown {
  const s = run.state;
  if (!('OutputPath' in s) || s.OutputPath === undefined) return value;
  if (s.OutputPath === null) return {};
  return readStatePath(run, s.OutputPath, value, 'OutputPath');
}

export function applyTemplate(run: StateRun, template: unknown, input: unknown, field: string, extras?: ContextExtras): unknown {
  return applyPayloadTemplate(template, pathScope(run, input, extras), field);
}

/** JSONPath ResultPath against the raw state input (absent → result replaces the input). */
export function applyResult(run: StateRun, result: unknown): unknown {
  const s = run.state;
  const rp = 'ResultPath' in s ? (s.ResultPath as string | null) : undefined;
  const input = run.frame.input;
  const output = applyResultPath(input, rp, result);
  if (typeof rp === 'string' && output !== input && output !== result) rememberAppendedText(input, rp, result, output);
  return output;
}

const appendedKeys = new Map<string, { name: string; json: string } | null>();

/** For `$.name` (a plain name, not integer-like), the name and its JSON text; otherwise null. */
function appendedKey(rp: string): { name: string; json: string } | null {
  let k = appendedKeys.get(rp);
  if (k === undefined) {
    const m = /^\$\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(rp.trim());
    k = m && m[1] !== '__proto__' ? { name: m[1], json: JSON.stringify(m[1]) } : null;
    if (appendedKeys.size < 1000) appendedKeys.set(rp, k);
  }
  return k;
}

/**
 * `ResultPath: "$.name"` adding a new key to an object whose text is known: the output's text is
 * that text with `,"name":<result>` before the closing brace, which is what `JSON.stringify`
 * writes (the copy keeps the input's key order and the new key comes last; integer-like keys,
 * which objects order first, are left out). Saves serializing the whole output again.
 */
function rememberAppendedText(input: unknown, rp: string, result: unknown, output: unknown): void {
  if (result === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) return;
  const key = appendedKey(rp);
  if (key === null || Object.prototype.hasOwnProperty.call(input, key.name)) return;
  const inputText = knownPayloadText(input);
  if (inputText === undefined || inputText.charCodeAt(inputText.length - 1) !== 125 /* } */) return;
  const value = payloadText(result);
  rememberPayloadText(output, inputText.length === 2 ? `{${key.json}:${value}}` : `${inputText.slice(0, -1)},${key.json}:${value}}`);
}

/**
 * Finishes a state that produced `result` (Task, Parallel, Map, and Pass/Choice/Wait with the
 * input as their result): ResultSelector?, Assign, ResultPath?, OutputPath, or the JSONata
 * Output. `jsonPathResultPath` is false for states without ResultPath (Choice, Wait, Succeed).
 * Synchronous in JSONPath (no promise per state); a promise in JSONata.
 */
export function finishState(
  run: StateRun,
  result: unknown,
  opts: FinishOptions = {},
): { output: unknown; assign?: Record<string, unknown> } | Promise<{ output: unknown; assign?: Record<string, unknown> }> {
  if (run.lang === 'JSONata') return finishJsonata(run, result, opts);
  return finishPath(run, result, opts);
}

export interface FinishOptions {
  resultSelector?: boolean;
  resultPath?: boolean;
  jsonataDefault?: unknown;
  extras?: ContextExtras;
}

/** The JSONPath part of `finishState` (synchronous). */
export function finishPath(run: StateRun, result: unknown, opts: FinishOptions = {}): { output: unknown; assign?: Record<string, unknown> } {
  const s = run.state;
  let selected = result;
  if (opts.resultSelector && s.ResultSelector !== undefined) selected = applyTemplate(run, s.ResultSelector, result, 'ResultSelector');
  const assign = s.Assign !== undefined ? (applyTemplate(run, s.Assign, selected, 'Assign') as Record<string, unknown>) : undefined;
  const combined = opts.resultPath ? applyResult(run, selected) : selected;
  return { output: applyOutputPath(run, combined), assign };
}

async function finishJsonata(run: StateRun, result: unknown, opts: FinishOptions): Promise<{ output: unknown; assign?: Record<string, unknown> }> {
  const s = run.state;
  const scope = jsonataScope(run, { result }, opts.extras);
  const assign = s.Assign !== undefined ? ((await evaluateTemplate(s.Assign, scope, 'Assign')) as Record<string, unknown>) : undefined;
  const output = s.Output !== undefined ? await evaluateTemplate(s.Output, scope, 'Output') : 'jsonataDefault' in opts ? opts.jsonataDefault : result;
  return { output, assign };
}

/** A state's outcome: its output and assignments, with the state's own Next/End. */
export function outcomeOf(s: StateDefinition, r: { output: unknown; assign?: Record<string, unknown> }): StateOutcome {
  return s.End === true ? { output: r.output, assign: r.assign, end: true } : { output: r.output, assign: r.assign, next: s.Next };
}

/** Transition fields of the state (or of a Choice rule / Catcher when given). */
export function transition(s: { Next?: string; End?: boolean }): { next?: string; end?: boolean } {
  return s.End === true ? { end: true } : { next: s.Next };
}

/** A field that is a number in JSONPath, or a number or `{% %}` expression in JSONata. */
export async function numberField(run: StateRun, field: string, value: unknown): Promise<unknown> {
  if (run.lang === 'JSONata') return evaluateTemplate(value, jsonataScope(run), field);
  return value;
}
