/** Retry and Catch matching, as the States Language defines it. */
import { StatesError } from './errors';

/** Errors no Retry or Catch handles: the execution fails. */
const UNCATCHABLE = new Set(['States.Runtime']);

export function isCatchable(error: string): boolean {
  return !UNCATCHABLE.has(error);
}

/** Whether one `ErrorEquals` list matches an error name. */
export function errorMatches(errorEquals: unknown, error: string): boolean {
  if (!Array.isArray(errorEquals) || UNCATCHABLE.has(error)) return false;
  for (const name of errorEquals) {
    if (name === error) return true;
    // States.ALL matches every catchable error. That includes a task result over the payload quota
    // (States.DataLimitExceeded), as AWS records it, although its docs call that error terminal;
    // an oversized state output is terminal here, as it never reaches Retry or Catch.
    if (name === 'States.ALL') return true;
    // States.TaskFailed is a wildcard for every task error except timeouts.
    if (name === 'States.TaskFailed' && !error.startsWith('States.') ) return true;
    if (name === 'States.Timeout' && error === 'States.HeartbeatTimeout') return true;
  }
  return false;
}

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

/** Index of the first retrier matching the error, or -1. */
export function findRetrier(retry: unknown, error: string): number {
  if (!Array.isArray(retry)) return -1;
  return retry.findIndex((r) => errorMatches((r as Retrier).ErrorEquals, error));
}

/** Delay before retry number `attempt` (0-based) in ms, with backoff, cap and jitter. */
export function retryDelayMs(r: Retrier, attempt: number, random: () => number = Math.random): number {
  const interval = r.IntervalSeconds ?? 1;
  const rate = r.BackoffRate ?? 2;
  let seconds = interval * Math.pow(rate, attempt);
  if (r.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, r.MaxDelaySeconds);
  if (r.JitterStrategy === 'FULL') seconds = random() * seconds;
  return Math.round(seconds * 1000);
}

export function maxAttempts(r: Retrier): number {
  return r.MaxAttempts ?? 3;
}

export function toStatesError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  const err = e as Error;
  return new StatesError('States.Runtime', err?.message ?? String(e));
}
