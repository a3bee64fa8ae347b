/**
 * What a state handler gets (`StateRun`) and the input/output pipeline shared by the states:
 * JSONPath (InputPath → Parameters → result → ResultSelector → ResultPath → OutputPath) and
 * JSONata (Arguments → result → Output, with `$states`). Assign is evaluated here too, with the
 * variable values from state entry: new values become visible at the next state.
 */
import { StatesError } from '../errors';
import { evaluateTemplate, type JsonataScope } from '../jsonata';
import { applyPayloadTemplate, applyResultPath, readScopedPath, type Scope } from '../jsonpath';
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
  return applyResultPath(run.frame.input, rp, result);
}

/**
 * Finishes a state that produced `result` (Task, Parallel, Map, and Pass/Choice/Wait with the
 * input as their result): ResultSelector?, Assign, ResultPath?, OutputPath, or the JSONata
 * Output. `jsonPathResultPath` is false for states without ResultPath (Choice, Wait, Succeed).
 */
export async function finishState(
  run: StateRun,
  result: unknown,
  opts: { resultSelector?: boolean; resultPath?: boolean; jsonataDefault?: unknown; extras?: ContextExtras } = {},
): Promise<{ output: unknown; assign?: Record<string, unknown> }> {
  const s = run.state;
  if (run.lang === 'JSONata') {
    const scope = jsonataScope(run, { result }, opts.extras);
    const assign = s.Assign !== undefined ? ((await evaluateTemplate(s.Assign, scope, 'Assign')) as Record<string, unknown>) : undefined;
    const output = s.Output !== undefined ? await evaluateTemplate(s.Output, scope, 'Output') : 'jsonataDefault' in opts ? opts.jsonataDefault : result;
    return { output, assign };
  }
  let selected = result;
  if (opts.resultSelector && s.ResultSelector !== undefined) selected = applyTemplate(run, s.ResultSelector, result, 'ResultSelector');
  const assign = s.Assign !== undefined ? (applyTemplate(run, s.Assign, selected, 'Assign') as Record<string, unknown>) : undefined;
  const combined = opts.resultPath ? applyResult(run, selected) : selected;
  return { output: applyOutputPath(run, combined), assign };
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
