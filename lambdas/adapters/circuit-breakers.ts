import { admit, closedBreaker, defaultBreakerPolicy, onFailure, onSuccess, PartnerCircuitOpen, type BreakerPolicy, type BreakerState } from '../domain/circuit-breaker';
import { SystemUnavailable } from '../domain/errors';
import type { Systems, WorkflowStore } from '../ports';

type SystemName = keyof Systems;
type BreakerStore = Pick<WorkflowStore, 'getBreaker' | 'saveBreaker'>;

/** Conditional writes lost to concurrent callers before a change is given up (the breaker is advisory). */
const maxWriteAttempts = 8;

/**
 * The partner a call goes to: the carrier for carrier calls (one carrier down must not stop the
 * others), the system as a whole for the ERP, WMS, TMS, finance and notifications.
 */
export function partnerOf(system: SystemName, request: unknown): string {
  if (system === 'carrier') {
    const carrierId = (request as { carrierId?: unknown } | undefined)?.carrierId;
    if (typeof carrierId === 'string' && carrierId) return carrierId;
  }
  return system;
}

/**
 * Reads a breaker, applies a pure transition and writes it back conditionally on the version read;
 * on a lost race it reads again, so concurrent failures are each counted. Writes nothing when the
 * transition leaves the state as it was.
 */
export async function updateBreaker(
  store: BreakerStore,
  system: string,
  partnerId: string,
  at: string | undefined,
  change: (state: BreakerState) => BreakerState,
): Promise<BreakerState> {
  let state: BreakerState = closedBreaker(at ?? new Date(0).toISOString());
  for (let i = 0; i < maxWriteAttempts; i++) {
    const record = await store.getBreaker(system, partnerId);
    state = record?.state ?? closedBreaker(at ?? new Date(0).toISOString());
    const next = change(state);
    if (record && JSON.stringify(next) === JSON.stringify(state)) return state;
    if (!record && next.status === 'CLOSED' && next.failures === 0) return next;
    if (await store.saveBreaker(system, partnerId, next, record?.version ?? 0)) return next;
  }
  return state;
}

export interface CircuitBreakerOptions {
  /**
   * How long (wall-clock milliseconds) a breaker read as closed is taken as still closed by this
   * container, without reading it again. A failure seen here forgets it at once; a breaker opened by
   * another container is seen at most this late (the breaker is advisory). 0 reads on every call.
   * @default 1000
   */
  readonly rememberClosedMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Wraps the partner ports with a circuit breaker per partner, state in the workflow store. A call is
 * refused with PartnerCircuitOpen while its partner's breaker is open; SystemUnavailable failures
 * are counted in a row (other errors are answers, not outages; a success ends the run); a probe's
 * success closes the breaker. The
 * step's business time `at` (carried by every request) is the breaker's time.
 *
 * A closed breaker costs one read per partner per `rememberClosedMs` and no write; writes happen on
 * failures, on the first success after failures, and on transitions.
 */
export function withCircuitBreakers(systems: Systems, store: BreakerStore, policy: BreakerPolicy = defaultBreakerPolicy, options: CircuitBreakerOptions = {}): Systems {
  const rememberMs = options.rememberClosedMs ?? 1000;
  const now = options.now ?? Date.now;
  /** Partners whose breaker was read closed here, until when (a closed breaker admits and writes nothing). */
  const closedUntil = new Map<string, number>();
  const wrap = <K extends SystemName>(system: K, port: Systems[K]): Systems[K] => {
    const guarded = new Map<PropertyKey, unknown>();
    // A Proxy rather than a copy: the composed ports resolve lazily (lambdas/runtime/compose.ts).
    return new Proxy(port as object, {
      get(target, op) {
        const fn = (target as Record<PropertyKey, unknown>)[op];
        if (typeof fn !== 'function') return fn;
        if (!guarded.has(op)) guarded.set(op, guard(String(op), fn as (r: unknown) => Promise<unknown>));
        return guarded.get(op);
      },
    }) as Systems[K];

    function guard(op: string, fn: (r: unknown) => Promise<unknown>) {
      return async function guardedCall(request: unknown) {
        const at = (request as { at?: unknown } | undefined)?.at;
        const when = typeof at === 'string' ? at : undefined;
        const partnerId = partnerOf(system, request);
        const partnerKey = `${system}#${partnerId}`;
        let refused: PartnerCircuitOpen | undefined;
        // A closed breaker with failures counted: a success here ends their run (one write).
        let clean = true;
        if ((closedUntil.get(partnerKey) ?? 0) <= now()) {
          await updateBreaker(store, system, partnerId, when, (state) => {
            const { admission, next } = admit(state, when, policy);
            clean = state.status === 'CLOSED' && state.failures === 0;
            refused = admission.verdict === 'REJECT' ? new PartnerCircuitOpen(system, partnerId, admission.retryAfter) : undefined;
            // A refusal only moves the clock forward: that is what lets a later probe through.
            return next;
          });
          if (clean && rememberMs > 0) closedUntil.set(partnerKey, now() + rememberMs);
          else closedUntil.delete(partnerKey);
        }
        if (refused) throw refused;
        try {
          const result = await fn.call(port, request);
          if (!clean) await updateBreaker(store, system, partnerId, when, (state) => onSuccess(state, when));
          return result;
        } catch (error) {
          if (error instanceof SystemUnavailable) {
            closedUntil.delete(partnerKey);
            await updateBreaker(store, system, partnerId, when, (state) => onFailure(state, when, `${op}: ${error.message}`.slice(0, 300), policy));
          }
          throw error;
        }
      };
    }
  };
  return {
    erp: wrap('erp', systems.erp),
    wms: wrap('wms', systems.wms),
    tms: wrap('tms', systems.tms),
    carrier: wrap('carrier', systems.carrier),
    finance: wrap('finance', systems.finance),
    notifications: wrap('notifications', systems.notifications),
  };
}
