import { SystemUnavailable } from '../../domain/errors';
import type { PartnerEvent, SimulatorOutbox, Systems } from '../../ports';
import { addMinutes, between, draw, type CallFaults, type EventFaults, type SimulationProfile } from './profile';

/**
 * Fault injection for the simulated partners (issue #5), configured per system by `profile.faults`.
 * Deterministic for a seed: a call's draw is keyed by system, operation, order (or tender, topic),
 * the step's business time `at` and the attempt number, so the same run fails the same calls and a
 * retry of a failed call draws again (and may win). An event's draws are keyed by its event id.
 * With every rate at 0 and no outage (the default) the systems and the outbox are returned as they are.
 */

type SystemName = keyof Systems;

/** What a call was asked about: the fields that identify it to the partner. */
function callKey(request: unknown): string {
  const r = (request ?? {}) as Record<string, unknown>;
  const order = r.order as { orderId?: string } | undefined;
  const parts = [
    r.orderId ?? order?.orderId,
    r.tenderId,
    r.shipmentId,
    r.topic ?? r.subject,
    r.team,
    Array.isArray(r.skus) ? (r.skus as string[]).join(',') : undefined,
  ].filter((p) => p !== undefined);
  return parts.join('|');
}

const hasCallFaults = (f: CallFaults) => f.timeoutRate > 0 || f.serverErrorRate > 0 || f.throttleRate > 0 || f.outages.length > 0;
const hasEventFaults = (f: EventFaults) => f.slowRate > 0 || f.duplicateRate > 0 || f.outOfOrderRate > 0 || f.unknownOrderRate > 0 || f.lateEventRate > 0;

/** The outage window a business time falls in, if any. */
function outageAt(f: CallFaults, at: string | undefined, request?: unknown) {
  if (!at) return undefined;
  const t = Date.parse(at);
  const carrierId = (request as { carrierId?: string } | undefined)?.carrierId;
  return f.outages.find((w) => Date.parse(w.start) <= t && t < Date.parse(w.end) && (!w.partnerId || w.partnerId === carrierId));
}

/**
 * Wraps one system's port: each call may fail with SystemUnavailable (outage, timeout after the
 * partner processed it, 5xx before, 429). Attempts are counted per (operation, key, at) in this
 * instance (one Lambda container, one local runtime, one test world).
 */
export function withCallFaults<T extends object>(profile: SimulationProfile, system: SystemName, port: T): T {
  const f: CallFaults = profile.faults[system];
  if (!hasCallFaults(f)) return port;
  const attempts = new Map<string, number>();
  const wrapped: Record<string, unknown> = {};
  for (const [op, fn] of Object.entries(port as Record<string, unknown>)) {
    if (typeof fn !== 'function') {
      wrapped[op] = fn;
      continue;
    }
    wrapped[op] = async (request: unknown) => {
      const at = (request as { at?: string } | undefined)?.at;
      const key = callKey(request);
      const id = `${op}|${key}|${at ?? ''}`;
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const window = outageAt(f, at, request);
      if (window) throw new SystemUnavailable(system, `${op}: 503 Service Unavailable (outage ${window.start} to ${window.end})`);
      const u = draw(profile.seed, 'fault', system, op, key, at ?? '', attempt);
      if (u < f.serverErrorRate) throw new SystemUnavailable(system, `${op}: 502 Bad Gateway (attempt ${attempt})`);
      if (u < f.serverErrorRate + f.throttleRate) throw new SystemUnavailable(system, `${op}: 429 Too Many Requests, retry after ${f.retryAfterSeconds}s (attempt ${attempt})`);
      const result = await (fn as (r: unknown) => Promise<unknown>).call(port, request);
      if (u < f.serverErrorRate + f.throttleRate + f.timeoutRate) throw new SystemUnavailable(system, `${op}: timed out waiting for the answer (attempt ${attempt}; the request was processed)`);
      return result;
    };
  }
  return wrapped as T;
}

/** Rewrites an event's order and event id (an echo for an unknown order, a late re-send). */
function variant(event: PartnerEvent, eventId: string, occurredAt: string, orderId?: string): PartnerEvent {
  const detail = event.detail as { eventId: string; correlationId: string; occurredAt: string; data: Record<string, unknown> };
  return {
    ...event,
    detail: {
      ...detail,
      eventId,
      occurredAt,
      ...(orderId ? { correlationId: orderId, data: { ...detail.data, orderId } } : {}),
    },
  } as PartnerEvent;
}

/**
 * Wraps the outbox a system schedules its events through: slow answers (the whole call's events
 * later), out-of-order events (sent 1 minute after the call, ahead of the events scheduled before
 * them), duplicates (same event id), echoes for unknown orders and late re-sends after the order has
 * finished.
 */
export function withEventFaults(profile: SimulationProfile, system: 'wms' | 'carrier' | 'finance', outbox: SimulatorOutbox): SimulatorOutbox {
  const f: EventFaults = profile.faults[system];
  if (!hasEventFaults(f)) return outbox;
  const { seed } = profile;
  return {
    async schedule(event, dueAt, now) {
      const detail = event.detail as { eventId: string; correlationId: string; occurredAt: string };
      const { eventId, correlationId: orderId } = detail;
      let due = dueAt;
      if (draw(seed, 'fault-slow', system, orderId, now) < f.slowRate) due = addMinutes(due, between(seed, f.slowMinutes, 'fault-slow-minutes', system, orderId, now));
      if (draw(seed, 'fault-order', system, eventId) < f.outOfOrderRate) due = addMinutes(now, 1);
      const main = due === dueAt ? event : variant(event, eventId, due);
      await outbox.schedule(main, due, now);
      if (draw(seed, 'fault-dup', system, eventId) < f.duplicateRate) {
        await outbox.schedule(main, addMinutes(due, between(seed, [1, 10], 'fault-dup-minutes', system, eventId)), now);
      }
      if (draw(seed, 'fault-ghost', system, eventId) < f.unknownOrderRate) {
        await outbox.schedule(variant(event, `${eventId}-ghost`, due, `GHOST-${orderId}`), due, now);
      }
      if (draw(seed, 'fault-late', system, eventId) < f.lateEventRate) {
        const lateAt = addMinutes(due, f.lateMinutes);
        await outbox.schedule(variant(event, `${eventId}-late`, lateAt), lateAt, now);
      }
    },
  };
}
