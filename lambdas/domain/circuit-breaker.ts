/**
 * A circuit breaker per partner (a carrier, or the ERP, WMS, TMS, finance or notification system as
 * a whole): after `failureThreshold` outage failures in a row (no success between them) within
 * `windowSeconds` it opens, and calls are
 * refused at once (PartnerCircuitOpen) instead of piling up retries on a partner that is down. After
 * `coolDownSeconds` one call is let through as a probe (half-open): its success closes the breaker,
 * its failure opens it again for another cool-down.
 *
 * Pure: time is business time. A step passes its `at` (the time the workflow entered it), which a
 * retry of the same step repeats, so the breaker keeps its own clock, the latest business time any
 * call to the partner brought: a parked retry of an old step is judged on that clock, and the
 * breaker works the same on Step Functions and on the local runtime's simulated clock.
 */

export type BreakerStatus = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface BreakerPolicy {
  /**
   * Outage failures in a row (a success resets the count) within the window that open the breaker.
   * In a row, not in total: a busy partner with a steady 1-5% error rate is working, and a count of
   * failures alone would keep its breaker open all day; a partner that is down fails every call.
   */
  readonly failureThreshold: number;
  readonly windowSeconds: number;
  /** How long the breaker stays open before it lets a probe through. */
  readonly coolDownSeconds: number;
  /** How long a probe may take before another caller may probe. */
  readonly probeTimeoutSeconds: number;
}

export const defaultBreakerPolicy: BreakerPolicy = { failureThreshold: 5, windowSeconds: 600, coolDownSeconds: 900, probeTimeoutSeconds: 300 };

export interface BreakerState {
  readonly status: BreakerStatus;
  /** Outage failures counted in the current window (while closed). */
  readonly failures: number;
  readonly windowStart?: string;
  /** The breaker's clock: the latest business time a call to the partner brought. */
  readonly clock: string;
  readonly openedAt?: string;
  /** While open: when a probe may go. */
  readonly openUntil?: string;
  /** While half-open: when the current probe's lease ends. */
  readonly probeUntil?: string;
  /** The failure that opened the breaker (or the last one counted). */
  readonly lastError?: string;
  /** How many times the breaker opened (for operations). */
  readonly timesOpened: number;
}

export type Admission =
  | { readonly verdict: 'PASS' }
  | { readonly verdict: 'PROBE' }
  | { readonly verdict: 'REJECT'; readonly retryAfter: string };

const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();
const later = (a: string, b: string | undefined) => (b !== undefined && Date.parse(b) > Date.parse(a) ? b : a);

export function closedBreaker(at: string): BreakerState {
  return { status: 'CLOSED', failures: 0, clock: at, timesOpened: 0 };
}

/** The breaker's time for a call made at `at` (never earlier than what it has seen). */
export function breakerNow(state: BreakerState, at: string | undefined): string {
  return at === undefined ? state.clock : later(at, state.clock);
}

/**
 * Whether a call may go. Returns the state to record: a probe takes a lease (so only one caller
 * probes), and the clock moves forward.
 */
export function admit(state: BreakerState, at: string | undefined, policy: BreakerPolicy = defaultBreakerPolicy): { admission: Admission; next: BreakerState } {
  const now = breakerNow(state, at);
  const t = Date.parse(now);
  const ticked = { ...state, clock: now };
  // A closed breaker is not written on every call: its clock only matters once it opens.
  if (state.status === 'CLOSED') return { admission: { verdict: 'PASS' }, next: state };
  if (state.status === 'OPEN' && state.openUntil && t < Date.parse(state.openUntil)) return { admission: { verdict: 'REJECT', retryAfter: state.openUntil }, next: ticked };
  if (state.status === 'HALF_OPEN' && state.probeUntil && t < Date.parse(state.probeUntil)) return { admission: { verdict: 'REJECT', retryAfter: state.probeUntil }, next: ticked };
  return { admission: { verdict: 'PROBE' }, next: { ...ticked, status: 'HALF_OPEN', probeUntil: plus(now, policy.probeTimeoutSeconds) } };
}

/** True when a call at `at` would be refused (a peek: records nothing). */
export function isOpen(state: BreakerState | undefined, at: string | undefined, policy: BreakerPolicy = defaultBreakerPolicy): boolean {
  return state !== undefined && admit(state, at, policy).admission.verdict === 'REJECT';
}

/**
 * After a successful call: a probe's success closes the breaker; on a closed breaker it ends a run of
 * failures (the count starts again); a closed breaker with no failure counted is left as it is (no
 * write on the common path).
 */
export function onSuccess(state: BreakerState, at: string | undefined): BreakerState {
  if (state.status === 'CLOSED') {
    if (state.failures === 0) return state;
    const { windowStart: _w, ...rest } = state;
    return { ...rest, failures: 0, clock: breakerNow(state, at) };
  }
  return { status: 'CLOSED', failures: 0, clock: breakerNow(state, at), timesOpened: state.timesOpened, ...(state.lastError ? { lastError: state.lastError } : {}) };
}

/** After an outage failure (SystemUnavailable): counts it in the window, opens at the threshold, re-opens after a failed probe. */
export function onFailure(state: BreakerState, at: string | undefined, error: string, policy: BreakerPolicy = defaultBreakerPolicy): BreakerState {
  const now = breakerNow(state, at);
  const open = (): BreakerState => ({ status: 'OPEN', failures: 0, clock: now, openedAt: now, openUntil: plus(now, policy.coolDownSeconds), lastError: error, timesOpened: state.timesOpened + 1 });
  switch (state.status) {
    case 'HALF_OPEN':
      return open();
    case 'OPEN':
      // A call let through before the breaker opened failed late: the breaker is already open.
      return { ...state, clock: now };
    case 'CLOSED': {
      const inWindow = state.windowStart !== undefined && Date.parse(now) - Date.parse(state.windowStart) < policy.windowSeconds * 1000;
      const failures = inWindow ? state.failures + 1 : 1;
      if (failures >= policy.failureThreshold) return open();
      return { ...state, clock: now, failures, windowStart: inWindow ? state.windowStart : now, lastError: error };
    }
  }
}

/**
 * An operator closes the breaker by hand (the partner says it is back, or the breaker opened on a
 * misclassified error): the next call goes through as on a closed breaker. The times it opened are
 * kept; the reset and its reason replace the last error, so the record says who closed it and why.
 */
export function resetBreaker(state: BreakerState, reason: string, at: string): BreakerState {
  return { status: 'CLOSED', failures: 0, clock: state.clock, timesOpened: state.timesOpened, lastError: `reset by operator at ${at}: ${reason}`.slice(0, 300) };
}

/** Refused by an open circuit breaker: the partner is down. Retryable later (the ASL parks the step), never counted as a partner failure. */
export class PartnerCircuitOpen extends Error {
  readonly retryable = true;
  constructor(
    readonly system: string,
    readonly partnerId: string,
    readonly retryAfter: string,
  ) {
    super(`${system}${partnerId === system ? '' : ` ${partnerId}`}: circuit open after repeated outages; calls are held until ${retryAfter}`);
    this.name = 'PartnerCircuitOpen';
  }
}
