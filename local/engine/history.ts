/**
 * Execution history in AWS's shape: `id`, `previousEventId`, `timestamp`, `type` and one
 * `<camelCaseType>EventDetails` object, e.g. `stateEnteredEventDetails` for `TaskStateEntered`.
 */
import type { ExecutionRecord, HistoryEvent } from './types';

/** Payload details as AWS reports them next to every input/output string. */
export const NOT_TRUNCATED = Object.freeze({ truncated: false });

/** The `*EventDetails` key AWS uses for an event type. */
export function detailsKey(type: string): string | undefined {
  const known = detailKeyCache.get(type);
  if (known !== undefined || detailKeyCache.has(type)) return known;
  let key: string | undefined;
  if (Object.prototype.hasOwnProperty.call(DETAIL_KEYS, type)) key = DETAIL_KEYS[type];
  else if (type.endsWith('StateEntered')) key = 'stateEnteredEventDetails';
  else if (type.endsWith('StateExited')) key = 'stateExitedEventDetails';
  if (detailKeyCache.size < 1000) detailKeyCache.set(type, key);
  return key;
}

const detailKeyCache = new Map<string, string | undefined>();

const DETAIL_KEYS: Record<string, string | undefined> = {
  ExecutionStarted: 'executionStartedEventDetails',
  ExecutionSucceeded: 'executionSucceededEventDetails',
  ExecutionFailed: 'executionFailedEventDetails',
  ExecutionTimedOut: 'executionTimedOutEventDetails',
  ExecutionAborted: 'executionAbortedEventDetails',
  TaskScheduled: 'taskScheduledEventDetails',
  TaskStarted: 'taskStartedEventDetails',
  TaskSubmitted: 'taskSubmittedEventDetails',
  TaskSucceeded: 'taskSucceededEventDetails',
  TaskFailed: 'taskFailedEventDetails',
  TaskTimedOut: 'taskTimedOutEventDetails',
  TaskStartFailed: 'taskStartFailedEventDetails',
  TaskSubmitFailed: 'taskSubmitFailedEventDetails',
  LambdaFunctionScheduled: 'lambdaFunctionScheduledEventDetails',
  LambdaFunctionSucceeded: 'lambdaFunctionSucceededEventDetails',
  LambdaFunctionFailed: 'lambdaFunctionFailedEventDetails',
  LambdaFunctionTimedOut: 'lambdaFunctionTimedOutEventDetails',
  LambdaFunctionScheduleFailed: 'lambdaFunctionScheduleFailedEventDetails',
  LambdaFunctionStartFailed: 'lambdaFunctionStartFailedEventDetails',
  MapStateStarted: 'mapStateStartedEventDetails',
  MapIterationStarted: 'mapIterationStartedEventDetails',
  MapIterationSucceeded: 'mapIterationSucceededEventDetails',
  MapIterationFailed: 'mapIterationFailedEventDetails',
  MapIterationAborted: 'mapIterationAbortedEventDetails',
  MapRunStarted: 'mapRunStartedEventDetails',
  MapRunFailed: 'mapRunFailedEventDetails',
  ParallelStateStarted: undefined,
  ParallelStateSucceeded: undefined,
  ParallelStateFailed: undefined,
  ParallelStateAborted: undefined,
  MapStateSucceeded: undefined,
  MapStateFailed: undefined,
  MapStateAborted: undefined,
  WaitStateAborted: undefined,
};

/**
 * JSON text of values already serialized once. A state's output object is the next state's
 * input and often a task's parameters or result too: the interpreter treats payloads as
 * immutable (every step builds new values), so the text is computed once per object.
 */
const texts = new WeakMap<object, string>();
/**
 * The last object looked up or remembered and its text: along one execution the same object is
 * asked for several times in a row (a state's output, the next state's input, a task's
 * parameters), so most lookups end here instead of in the WeakMap.
 */
let lastObject: object | undefined;
let lastText = '';

/**
 * Records the JSON text of a payload parsed from a text that `JSON.stringify` produced (so the
 * text is what `payloadText` would compute), saving the serialization of the parsed value.
 */
export function rememberPayloadText(v: unknown, text: string): void {
  if (v !== null && typeof v === 'object') {
    texts.set(v, text);
    lastObject = v;
    lastText = text;
  }
}

/** The JSON text of a payload object if it is known already (no serialization). */
export function knownPayloadText(v: object): string | undefined {
  return v === lastObject ? lastText : texts.get(v);
}

/** AWS's payload quota: 256 KiB of UTF-8, for execution input, state input and output, task results. */
export const PAYLOAD_QUOTA_BYTES = 256 * 1024;

/** Whether a payload's JSON text is over the quota (a UTF-16 unit is at most 3 UTF-8 bytes, so a short text needs no count). */
export function overPayloadQuota(text: string): boolean {
  return text.length * 3 > PAYLOAD_QUOTA_BYTES && Buffer.byteLength(text) > PAYLOAD_QUOTA_BYTES;
}

/** JSON text of a payload as history events carry it (`null` for undefined). */
export function payloadText(v: unknown): string {
  if (v !== null && typeof v === 'object') {
    let t = knownPayloadText(v);
    if (t === undefined) {
      t = JSON.stringify(v) ?? 'null';
      texts.set(v, t);
    }
    lastObject = v;
    lastText = t;
    return t;
  }
  const s = JSON.stringify(v);
  return s === undefined ? 'null' : s;
}

/** Appends an event to an in-memory history, numbering it and linking the previous event. */
export function makeEvent(
  history: HistoryEvent[],
  type: string,
  timestamp: number,
  previousEventId: number,
  details?: Record<string, unknown>,
): HistoryEvent {
  const event: HistoryEvent = { id: history.length + 1, previousEventId, timestamp, type };
  const key = detailsKey(type);
  if (details && key) event[key] = details;
  history.push(event);
  return event;
}

/** The public (SDK-shaped) form of an event: dates as Date, optional data removed. */
export interface ApiHistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

export function toApiEvent(e: HistoryEvent, includeData: boolean): ApiHistoryEvent {
  const out: ApiHistoryEvent = { ...e, timestamp: new Date(e.timestamp) };
  if (!includeData) {
    for (const [k, v] of Object.entries(out)) {
      if (k.endsWith('EventDetails') && v && typeof v === 'object') {
        const d: Record<string, unknown> = { ...(v as Record<string, unknown>) };
        for (const f of ['input', 'output', 'parameters', 'assignedVariables']) if (f in d) delete d[f];
        out[k] = d;
      }
    }
  }
  return out;
}

export type { ExecutionRecord };
