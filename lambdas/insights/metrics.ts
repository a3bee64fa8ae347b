import type { LogEntry } from '../ports';

/**
 * Process metrics as pure functions over the workflow event log: the same code serves the local
 * report and, later, the deployed analytics. Input is each order's log (oldest first).
 */

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
}

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function summarize(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** Hours spent in each stage (from entering it to entering the next), per order. */
export function stageDurations(log: readonly LogEntry[]): Array<{ stage: string; hours: number }> {
  const stages = log.filter((e) => e.type === 'STAGE_CHANGED' && e.stage).sort((a, b) => a.at.localeCompare(b.at));
  const out: Array<{ stage: string; hours: number }> = [];
  for (let i = 0; i + 1 < stages.length; i++) {
    const from = stages[i]!;
    const to = stages[i + 1]!;
    out.push({ stage: from.stage!, hours: (Date.parse(to.at) - Date.parse(from.at)) / 3_600_000 });
  }
  return out;
}

export interface OperationsSummary {
  readonly orders: number;
  readonly byFinalStage: Record<string, number>;
  readonly exceptionsByCategory: Record<string, number>;
  readonly exceptionsByOwner: Record<string, number>;
  readonly stageCycleHours: Record<string, Percentiles>;
  readonly endToEndHours: Percentiles;
  readonly slaBreaches: Record<string, number>;
  readonly reTenders: number;
  readonly reallocations: number;
  readonly escalations: number;
  readonly delays: number;
}

const inc = (m: Record<string, number>, k: string, n = 1) => void (m[k] = (m[k] ?? 0) + n);

/** The operations summary a logistics manager reads at the end of a day. */
export function operationsSummary(logs: ReadonlyMap<string, readonly LogEntry[]>, finalStage: (orderId: string) => string): OperationsSummary {
  const byFinalStage: Record<string, number> = {};
  const exceptionsByCategory: Record<string, number> = {};
  const exceptionsByOwner: Record<string, number> = {};
  const slaBreaches: Record<string, number> = {};
  const perStage = new Map<string, number[]>();
  const endToEnd: number[] = [];
  let reTenders = 0;
  let reallocations = 0;
  let escalations = 0;
  let delays = 0;
  for (const [orderId, log] of logs) {
    inc(byFinalStage, finalStage(orderId));
    for (const d of stageDurations(log)) {
      if (!perStage.has(d.stage)) perStage.set(d.stage, []);
      perStage.get(d.stage)!.push(d.hours);
    }
    const stages = log.filter((e) => e.type === 'STAGE_CHANGED');
    const released = stages.find((e) => e.stage === 'RELEASED');
    const completed = stages.find((e) => e.stage === 'COMPLETED');
    if (released && completed) endToEnd.push((Date.parse(completed.at) - Date.parse(released.at)) / 3_600_000);
    for (const e of log) {
      if (e.type === 'EXCEPTION_RAISED') {
        inc(exceptionsByCategory, String(e.details?.category));
        inc(exceptionsByOwner, String(e.details?.ownerTeam));
      }
      if (e.type === 'SLA_BREACHED') inc(slaBreaches, String(e.details?.sla ?? 'unknown'));
      if (e.type === 'APPROVAL_REQUESTED') escalations++;
      if (e.type === 'DECISION' && e.details?.decision === 'RE_TENDER') reTenders++;
      if (e.type === 'DECISION' && e.details?.decision === 'REALLOCATED') reallocations++;
      if (e.type === 'DECISION' && e.details?.decision === 'PROMISE_RECOMPUTED') delays++;
    }
  }
  return {
    orders: logs.size,
    byFinalStage,
    exceptionsByCategory,
    exceptionsByOwner,
    stageCycleHours: Object.fromEntries([...perStage].map(([s, v]) => [s, summarize(v)])),
    endToEndHours: summarize(endToEnd),
    slaBreaches,
    reTenders,
    reallocations,
    escalations,
    delays,
  };
}
