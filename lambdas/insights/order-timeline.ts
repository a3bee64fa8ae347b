import type { LogEntry } from '../ports';

/**
 * One order's log turned into a timeline: entries in time order, the stages it went through
 * (repeats collapsed into one visit), and the intervals it spent waiting for a partner or a person.
 * Pure: no I/O, no clock. Times are epoch milliseconds.
 */

export const terminalStages: ReadonlySet<string> = new Set(['COMPLETED', 'CANCELLED']);

export interface StageVisit {
  readonly stage: string;
  readonly start: number;
  /** When the next stage began; undefined while the order is still in this stage (or it is terminal). */
  end?: number;
}

export interface WaitInterval {
  readonly kind: string;
  readonly key: string;
  readonly start: number;
  /** undefined while the wait is still open. */
  readonly end?: number;
  readonly dueAt?: number;
}

export interface OrderTimeline {
  readonly orderId: string;
  /** Entries oldest first (ties keep the stage chain and then the log's order). */
  readonly entries: readonly LogEntry[];
  readonly times: readonly number[];
  readonly visits: readonly StageVisit[];
  readonly waits: readonly WaitInterval[];
  readonly finalStage: string | undefined;
  readonly finished: boolean;
}

const time = (at: string): number => {
  const t = Date.parse(at);
  return Number.isNaN(t) ? 0 : t;
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * Orders stage changes that share a timestamp by their `fromStage` chain: DynamoDB returns entries
 * of the same instant in event-id order, which says nothing about which came first.
 */
function chainTies(stages: LogEntry[], times: Map<LogEntry, number>): LogEntry[] {
  const out: LogEntry[] = [];
  let current: string | undefined;
  for (let i = 0; i < stages.length; ) {
    let j = i + 1;
    while (j < stages.length && times.get(stages[j]!) === times.get(stages[i]!)) j++;
    const group = stages.slice(i, j);
    while (group.length > 0) {
      let k = group.findIndex((e) => (e.fromStage ?? undefined) === current && e.stage !== current);
      if (k < 0) k = group.findIndex((e) => !group.some((o) => o !== e && o.stage === e.fromStage));
      if (k < 0) k = 0;
      const [next] = group.splice(k, 1);
      out.push(next!);
      current = next!.stage;
    }
    i = j;
  }
  return out;
}

/** Where an answer entry ends a wait: the wait key it answers, if any. */
export function answeredKey(e: LogEntry): string | undefined {
  const d = e.details ?? {};
  switch (e.type) {
    case 'WAIT_ENDED':
      return str(d.key);
    case 'APPROVAL_DECIDED':
      return str(d.approvalId) ? `DECISION#${d.approvalId}` : undefined;
    case 'EXCEPTION_RESOLVED':
      return str(d.exceptionId) ? `DECISION#${d.exceptionId}` : undefined;
    case 'PARTNER_EVENT':
      if ((d.eventType === 'TenderAccepted' || d.eventType === 'TenderRejected') && str(d.tenderId)) return `TENDER#${d.tenderId}`;
      if (d.eventType === 'ShipConfirmed') return `SHIP#${e.orderId}`;
      if (d.eventType === 'ProofOfDelivery') return `DELIVERY#${e.orderId}`;
      return undefined;
    default:
      return undefined;
  }
}

/** Entries after which the workflow is no longer waiting, whatever it waited for. */
function endsAnyWait(e: LogEntry): boolean {
  if (e.type === 'WAIT_STARTED') return true;
  // The workflow woke up to raise it (a failed delivery, a timed-out wait); the correlator's late-cancellation exception wakes nothing.
  if (e.type === 'EXCEPTION_RAISED') return e.details?.category !== 'CANCELLATION_TOO_LATE';
  if (e.type === 'STAGE_CHANGED') return e.stage !== undefined && (terminalStages.has(e.stage) || e.stage === 'ON_HOLD');
  return false;
}

export function buildTimeline(log: readonly LogEntry[], orderId = log[0]?.orderId ?? ''): OrderTimeline {
  const timeOf = new Map<LogEntry, number>();
  for (const e of log) timeOf.set(e, time(e.at));
  const indexed = log.map((e, i) => ({ e, i, t: timeOf.get(e)! }));
  indexed.sort((a, b) => a.t - b.t || a.i - b.i);
  const sorted = indexed.map((x) => x.e);

  const stageEntries = chainTies(
    sorted.filter((e) => e.type === 'STAGE_CHANGED' && e.stage),
    timeOf,
  );
  // Put the chained stage entries back in place of the stage entries, keeping everything else where it was.
  let s = 0;
  const entries = sorted.map((e) => (e.type === 'STAGE_CHANGED' && e.stage ? stageEntries[s++]! : e));
  const times = entries.map((e) => timeOf.get(e)!);

  const visits: StageVisit[] = [];
  for (const e of stageEntries) {
    const last = visits[visits.length - 1];
    if (last && last.stage === e.stage) continue;
    if (last && terminalStages.has(last.stage)) break;
    const t = timeOf.get(e)!;
    if (last) last.end = t;
    visits.push({ stage: e.stage!, start: t });
  }

  const waits: WaitInterval[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.type !== 'WAIT_STARTED') continue;
    const key = str(e.details?.key) ?? `${e.details?.kind ?? 'WAIT'}#${i}`;
    const start = times[i]!;
    let end: number | undefined;
    for (let j = i + 1; j < entries.length; j++) {
      const f = entries[j]!;
      const t = times[j]!;
      if (answeredKey(f) === key || (t > start && endsAnyWait(f))) {
        end = t;
        break;
      }
    }
    const due = str(e.details?.dueAt);
    waits.push({ kind: String(e.details?.kind ?? 'UNKNOWN'), key, start, end, dueAt: due ? time(due) : undefined });
  }

  const finalStage = visits[visits.length - 1]?.stage;
  return { orderId, entries, times, visits, waits, finalStage, finished: finalStage !== undefined && terminalStages.has(finalStage) };
}

/** Stage of the order at a time: the last visit that began at or before it. */
export function stageAt(visits: readonly StageVisit[], t: number): string | undefined {
  let stage: string | undefined;
  for (const v of visits) {
    if (v.start <= t) stage = v.stage;
    else break;
  }
  return stage;
}

/** Closed wait intervals merged so that overlapping waits are not counted twice. */
export function mergedWaits(waits: readonly WaitInterval[]): Array<[number, number]> {
  const closed = waits.filter((w) => w.end !== undefined && w.end > w.start).map((w) => [w.start, w.end!] as [number, number]);
  closed.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of closed) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Milliseconds of [start, end) covered by the merged intervals. */
export function overlap(intervals: ReadonlyArray<readonly [number, number]>, start: number, end: number): number {
  let total = 0;
  for (const [a, b] of intervals) {
    const lo = Math.max(a, start);
    const hi = Math.min(b, end);
    if (hi > lo) total += hi - lo;
  }
  return total;
}
