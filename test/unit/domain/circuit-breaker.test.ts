import { admit, closedBreaker, isOpen, onFailure, onSuccess, type BreakerPolicy, type BreakerState } from '../../../lambdas/domain/circuit-breaker';

const policy: BreakerPolicy = { failureThreshold: 3, windowSeconds: 600, coolDownSeconds: 900, probeTimeoutSeconds: 300 };
const t = (minutes: number) => new Date(Date.parse('2026-11-23T08:00:00Z') + minutes * 60_000).toISOString();
const fail = (state: BreakerState, at: string) => onFailure(state, at, 'carrier: 503', policy);

describe('circuit breaker (domain)', () => {
  it('stays closed while failures are below the threshold within the window', () => {
    const state = fail(fail(closedBreaker(t(0)), t(0)), t(1));
    expect(state).toMatchObject({ status: 'CLOSED', failures: 2 });
    expect(admit(state, t(2), policy).admission).toEqual({ verdict: 'PASS' });
  });

  it('opens at the threshold and refuses calls until the cool-down has passed', () => {
    const open = fail(fail(fail(closedBreaker(t(0)), t(0)), t(1)), t(2));
    expect(open).toMatchObject({ status: 'OPEN', openUntil: t(17), timesOpened: 1 });
    expect(admit(open, t(10), policy).admission).toEqual({ verdict: 'REJECT', retryAfter: t(17) });
    expect(isOpen(open, t(16), policy)).toBe(true);
  });

  it('forgets failures older than the window', () => {
    const state = fail(fail(fail(closedBreaker(t(0)), t(0)), t(1)), t(20));
    expect(state).toMatchObject({ status: 'CLOSED', failures: 1, windowStart: t(20) });
  });

  it('lets one probe through after the cool-down; its success closes the breaker', () => {
    const open = fail(fail(fail(closedBreaker(t(0)), t(0)), t(0)), t(0));
    const probe = admit(open, t(15), policy);
    expect(probe.admission).toEqual({ verdict: 'PROBE' });
    expect(probe.next.status).toBe('HALF_OPEN');
    // A second caller during the probe is refused: only one call tests the partner.
    expect(admit(probe.next, t(16), policy).admission).toEqual({ verdict: 'REJECT', retryAfter: t(20) });
    expect(onSuccess(probe.next, t(16))).toMatchObject({ status: 'CLOSED', failures: 0 });
  });

  it('re-opens for another cool-down when the probe fails', () => {
    const open = fail(fail(fail(closedBreaker(t(0)), t(0)), t(0)), t(0));
    const { next } = admit(open, t(15), policy);
    expect(fail(next, t(15))).toMatchObject({ status: 'OPEN', openUntil: t(30), timesOpened: 2 });
  });

  it('judges a parked retry of an old step on the latest business time the partner has seen', () => {
    const open = fail(fail(fail(closedBreaker(t(0)), t(0)), t(0)), t(0));
    // A newer step (another order) moved the breaker's clock past the cool-down...
    const { next: ticked } = admit(open, t(5), policy);
    const { next: later } = admit(ticked, t(20), policy);
    // ...so the retry of the step that entered at t(0) may probe.
    expect(admit({ ...later, status: 'OPEN' }, t(0), policy).admission.verdict).toBe('PROBE');
  });

  it('a success while closed with no failure counted changes nothing (no write on the common path)', () => {
    const state = closedBreaker(t(0));
    expect(onSuccess(state, t(1))).toBe(state);
    expect(admit(state, t(1), policy).next).toBe(state);
  });

  it('counts failures in a row: a success between them starts the count again, so a steady error rate does not open it', () => {
    const twice = fail(fail(closedBreaker(t(0)), t(0)), t(1));
    const reset = onSuccess(twice, t(2));
    expect(reset).toMatchObject({ status: 'CLOSED', failures: 0 });
    expect(fail(fail(reset, t(3)), t(4))).toMatchObject({ status: 'CLOSED', failures: 2 });
    // Failure, failure, success, repeated for an hour: 2 in 3 calls fail, and the breaker never opens.
    let state = closedBreaker(t(0));
    for (let m = 0; m < 60; m += 3) state = onSuccess(fail(fail(state, t(m)), t(m + 1)), t(m + 2));
    expect(state.status).toBe('CLOSED');
    expect(state.timesOpened).toBe(0);
    // Three in a row open it, as before.
    expect(fail(fail(fail(state, t(61)), t(62)), t(63)).status).toBe('OPEN');
  });
});
