import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * The simulated partners' own record of the side effects they were asked for (issue #5): every call
 * that reached a partner (after any 5xx or 429 refused it, before any timeout lost its answer), with
 * the key the partner deduplicates on. Chaos accounting counts side effects from here, not from the
 * orchestrator's own `FX#` ledger, so a double the orchestrator does not know about still shows.
 */
export interface PartnerCall {
  readonly kind: 'tender' | 'invoice' | 'notification' | 'wave' | 'pickup';
  readonly orderId: string;
  /** The business step the effect belongs to: at most one effect per order and step. */
  readonly step: string;
  /** What the partner deduplicates on (tender id, order id for invoices, the notification's idempotency key). */
  readonly key: string;
  readonly at: string;
}

type Request = Record<string, unknown>;
const s = (v: unknown) => (v === undefined ? '' : String(v));
let unkeyed = 0;

/** The side effect a call asks for, or undefined for reads and compensations. */
function effectOf(system: string, op: string, r: Request): Omit<PartnerCall, 'at'> | undefined {
  const orderId = s(r.orderId ?? (r.order as Request | undefined)?.orderId);
  // A notification without an idempotency key cannot be deduplicated by the service: each call is its own effect.
  const notificationKey = () => s(r.idempotencyKey) || `unkeyed-${process.pid}-${++unkeyed}`;
  switch (`${system}.${op}`) {
    case 'carrier.tender':
      return { kind: 'tender', orderId, step: `carrier:${s(r.carrierId)}`, key: s(r.tenderId) };
    case 'finance.releaseInvoice':
      return { kind: 'invoice', orderId, step: 'invoice', key: orderId };
    case 'notifications.notifyCustomer':
      return { kind: 'notification', orderId, step: `customer:${s(r.topic)}`, key: notificationKey() };
    case 'notifications.notifyTeam':
      // Each escalation is its own step (a second SLA breach of the same kind is a new one), told apart by its business time.
      return { kind: 'notification', orderId, step: `team:${s(r.team)}:${s(r.subject)}@${s(r.at)}`, key: notificationKey() };
    case 'wms.createWave':
      return { kind: 'wave', orderId, step: 'wave', key: orderId };
    case 'wms.bookPickup':
      return { kind: 'pickup', orderId, step: 'pickup', key: `${orderId}|${s(r.carrierId)}` };
    default:
      return undefined;
  }
}

/** Records each side-effecting call that reaches the partner, before the partner acts on it. */
export function withSideEffectLedger<T extends object>(system: string, port: T, record: (call: PartnerCall) => void): T {
  const wrapped: Record<string, unknown> = {};
  for (const [op, fn] of Object.entries(port as Record<string, unknown>)) {
    wrapped[op] =
      typeof fn !== 'function'
        ? fn
        : async (request: Request) => {
            const effect = effectOf(system, op, request ?? {});
            if (effect) record({ ...effect, at: s(request?.at) });
            return (fn as (r: unknown) => Promise<unknown>).call(port, request);
          };
  }
  return wrapped as T;
}

/** An append-only JSON-lines ledger file, written synchronously so a SIGKILL right after a call keeps it. */
export function fileLedger(path: string): (call: PartnerCall) => void {
  return (call) => appendFileSync(path, `${JSON.stringify(call)}\n`);
}

export function readLedger(path: string): PartnerCall[] {
  return readJsonLines<PartnerCall>(path);
}

/** The records of an append-only JSON-lines file (none if it does not exist); a last line cut short by a kill is left out. */
export function readJsonLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as T];
      } catch {
        return []; // a line cut short by a kill
      }
    });
}

export interface SideEffectCounts {
  /** Calls the partner received (retries after a lost answer included). */
  readonly calls: number;
  /** Distinct effects after the partner's own deduplication by key. */
  readonly effects: number;
  /** The most effects of this kind for one order and step (1 when nothing was doubled). */
  readonly maxPerOrderStep: number;
}

export interface SideEffectAccounting {
  readonly byKind: Record<string, SideEffectCounts>;
  /** Calls the partner recognised as repeats by their key (same effect, not done again). */
  readonly deduplicatedByPartner: number;
  /** (kind, order, step) with more than one distinct effect: a double tender, invoice or notification. */
  readonly duplicates: ReadonlyArray<{ kind: string; orderId: string; step: string; keys: string[] }>;
}

/** Side effects per kind from what the partners received. */
export function accountSideEffects(calls: readonly PartnerCall[]): SideEffectAccounting {
  const steps = new Map<string, { kind: string; orderId: string; step: string; keys: Set<string>; calls: number }>();
  for (const c of calls) {
    const id = `${c.kind}|${c.orderId}|${c.step}`;
    const entry = steps.get(id) ?? { kind: c.kind, orderId: c.orderId, step: c.step, keys: new Set<string>(), calls: 0 };
    entry.keys.add(c.key);
    entry.calls++;
    steps.set(id, entry);
  }
  const byKind: Record<string, { calls: number; effects: number; maxPerOrderStep: number }> = {};
  const duplicates: Array<{ kind: string; orderId: string; step: string; keys: string[] }> = [];
  let deduplicatedByPartner = 0;
  for (const e of steps.values()) {
    const k = (byKind[e.kind] ??= { calls: 0, effects: 0, maxPerOrderStep: 0 });
    k.calls += e.calls;
    k.effects += e.keys.size;
    k.maxPerOrderStep = Math.max(k.maxPerOrderStep, e.keys.size);
    deduplicatedByPartner += e.calls - e.keys.size;
    if (e.keys.size > 1) duplicates.push({ kind: e.kind, orderId: e.orderId, step: e.step, keys: [...e.keys] });
  }
  return { byKind, deduplicatedByPartner, duplicates };
}
