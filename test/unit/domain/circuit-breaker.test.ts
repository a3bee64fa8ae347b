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

  it('a success while closed changes nothing (no write on the common path)', () => {
    const state = fail(closedBreaker(t(0)), t(0));
    expect(onSuccess(state, t(1))).toBe(state);
    expect(admit(state, t(1), policy).next).toBe(state);
  });
});
