import { stage as stageSchema } from '../contracts/events';
import { addRecommendations, emptyRecommendationStats, recommendationAudit, type RecommendationStats } from '../decisions/audit';
import type { LogEntry } from '../ports';
import { buildTimeline, mergedWaits, overlap, stageAt, type OrderTimeline } from './order-timeline';

/**
 * Process metrics as pure functions over the workflow event log: one implementation for the local
 * report (`npm run report`), the `npm start` summary and the benchmarks. It is an accumulator: feed
 * it one order's log at a time (`add`), read `result()` at the end. It keeps a few numbers per
 * order (durations), never the events, so a million events stream through it.
 *
 * Definitions (docs/process-intelligence.md explains each with an example):
 * - Durations are in hours. Percentiles are nearest-rank (p50 of 1,2,3,4 is 2).
 * - A stage visit lasts from the stage change that entered it to the one that left it; repeated
 *   changes to the same stage (a re-tender, a second in-transit milestone) stay in one visit. An
 *   order's time in a stage is the sum of its closed visits; terminal stages have no duration.
 * - A wait lasts from WAIT_STARTED to its answer (WAIT_ENDED, the partner event or decision for its
 *   key) or else to the next thing that shows the workflow moved on (another wait, an exception it
 *   raised, a terminal or on-hold stage). Waiting time in a stage is the part of the stage's visits
 *   covered by waits; working time is the rest.
 * - The bottleneck is the stage with the largest share of all waiting time.
 */

export interface Distribution {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Kept for callers of the first version (p50/p95 only). */
export type Percentiles = Distribution;

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(values: ArrayLike<number>): Distribution {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : 0,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
  };
}

/** Hours spent in each stage (from entering it to entering the next), per order, repeats merged. */
export function stageDurations(log: readonly LogEntry[]): Array<{ stage: string; hours: number }> {
  return buildTimeline(log)
    .visits.filter((v) => v.end !== undefined)
    .map((v) => ({ stage: v.stage, hours: (v.end! - v.start) / hour }));
}

export interface CountRow {
  readonly key: string;
  readonly count: number;
  /** count per order in the log. */
  readonly perOrder: number;
}

export interface StageReport {
  readonly stage: string;
  /** Orders that entered the stage. */
  readonly orders: number;
  /** Time in the stage per order (closed visits only). */
  readonly cycleHours: Distribution;
  readonly totalHours: number;
  readonly waitingHours: number;
  readonly workingHours: number;
  /** Waiting as a share of the time spent in this stage (0..1). */
  readonly waitingShareOfStage: number;
  /** This stage's share of all waiting time (0..1): the bottleneck has the largest. */
  readonly shareOfAllWaiting: number;
  /** Orders with at least one SLA breach in this stage. */
  readonly ordersBreachingSla: number;
  /** ordersBreachingSla / orders. */
  readonly slaBreachRate: number;
  readonly slaBreaches: number;
}

export interface VariantReport {
  readonly path: readonly string[];
  readonly count: number;
  readonly share: number;
  /** Median hours from the first to the last stage of the path. */
  readonly medianHours: number;
  /** Orders of this variant that have not reached a terminal stage. */
  readonly inProgress: number;
}

export interface RoleLatency {
  readonly role: string;
  readonly requested: number;
  readonly decided: number;
  readonly pending: number;
  readonly latencyHours: Distribution;
}

export interface RateReport {
  readonly measured: number;
  readonly onTime: number;
  readonly rate: number;
}

export interface ProcessReport {
  readonly events: number;
  readonly orders: number;
  readonly firstEventAt?: string;
  readonly lastEventAt?: string;
  /** The time open items are aged against (the option, or the last event). */
  readonly asOf?: string;
  readonly ordersByFinalStage: Record<string, number>;
  readonly completed: number;
  readonly cancelled: number;
  readonly inProgress: number;
  /** Released to completed, completed orders only. */
  readonly endToEndHours: Distribution;
  readonly stages: readonly StageReport[];
  readonly bottleneck?: { readonly stage: string; readonly waitingHours: number; readonly share: number };
  readonly waits: { readonly total: number; readonly open: number; readonly byKind: Record<string, Distribution> };
  readonly exceptions: {
    readonly total: number;
    readonly ordersWithException: number;
    /** ordersWithException / orders. */
    readonly orderRate: number;
    readonly byCategory: readonly CountRow[];
    readonly bySourceSystem: readonly CountRow[];
    readonly byOwnerTeam: readonly CountRow[];
    readonly aging: {
      readonly resolved: number;
      readonly resolvedWithinSla: number;
      readonly resolvedLate: number;
      readonly hoursToResolve: Distribution;
      /** No resolution recorded, but the order finished (completed or cancelled). */
      readonly closedWithOrder: number;
      readonly open: number;
      /** Open and past their due time (`asOf`). */
      readonly openOverdue: number;
      readonly openAgeBuckets: Record<string, number>;
      readonly oldestOpen?: { readonly exceptionId: string; readonly orderId: string; readonly category: string; readonly ageHours: number; readonly overdueHours: number };
    };
  };
  readonly approvals: readonly RoleLatency[];
  readonly rework: {
    readonly reTenders: number;
    readonly ordersReTendered: number;
    readonly reallocations: number;
    readonly ordersReallocated: number;
    readonly promiseRecomputations: number;
    readonly plannerBookings: number;
    /** Orders with a re-tender or a reallocation / orders. */
    readonly reworkRate: number;
  };
  readonly slaBreaches: { readonly total: number; readonly ordersAffected: number; readonly bySla: Record<string, number>; readonly byStage: Record<string, number> };
  readonly onTimeShipment: RateReport;
  readonly onTimeDelivery: RateReport;
  readonly invoiceLagHours: Distribution;
  readonly escalations: number;
  /** Recommendations of the decision step: who acted on them and how the orders turned out (lambdas/decisions/audit.ts). */
  readonly recommendations: RecommendationStats;
  readonly variantCount: number;
  readonly variants: readonly VariantReport[];
}

export interface ProcessMetricsOptions {
  /** Age open exceptions against this time. @default the last event in the log */
  readonly asOf?: string;
  /** Variants listed in the result (all are counted). @default 20 */
  readonly topVariants?: number;
}

const hour = 3_600_000;
export const stageOrder: readonly string[] = stageSchema.options;
const ageBuckets = ['< 1 h', '1-4 h', '4-24 h', '1-3 d', '> 3 d'] as const;
const bucketOf = (hours: number) => (hours < 1 ? 0 : hours < 4 ? 1 : hours < 24 ? 2 : hours < 72 ? 3 : 4);

/** A growable array of numbers (a Float64Array underneath: 8 bytes a value). */
class Numbers {
  private data = new Float64Array(64);
  length = 0;
  push(v: number) {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

const inc = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
const numbers = (m: Map<string, Numbers>, k: string) => {
  let n = m.get(k);
  if (!n) m.set(k, (n = new Numbers()));
  return n;
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const ms = (v: unknown): number | undefined => {
  const s = str(v);
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};

interface OpenException {
  readonly exceptionId: string;
  readonly orderId: string;
  readonly category: string;
  readonly raisedAt: number;
  readonly dueAt?: number;
}

export class ProcessMetrics {
  private events = 0;
  private orders = 0;
  private first = Infinity;
  private last = -Infinity;
  private readonly finalStages = new Map<string, number>();
  private readonly endToEnd = new Numbers();
  private readonly stageHours = new Map<string, Numbers>();
  private readonly stageOrders = new Map<string, number>();
  private readonly stageWaiting = new Map<string, number>();
  private readonly stageTotal = new Map<string, number>();
  private readonly stageBreachOrders = new Map<string, number>();
  private readonly stageBreaches = new Map<string, number>();
  private readonly waitHours = new Map<string, Numbers>();
  private waitsTotal = 0;
  private waitsOpen = 0;
  private exceptions = 0;
  private ordersWithException = 0;
  private readonly byCategory = new Map<string, number>();
  private readonly bySource = new Map<string, number>();
  private readonly byOwner = new Map<string, number>();
  private resolved = 0;
  private resolvedWithinSla = 0;
  private resolvedLate = 0;
  private readonly hoursToResolve = new Numbers();
  private closedWithOrder = 0;
  private readonly open: OpenException[] = [];
  private readonly roleRequested = new Map<string, number>();
  private readonly roleDecided = new Map<string, Numbers>();
  private reTenders = 0;
  private ordersReTendered = 0;
  private reallocations = 0;
  private ordersReallocated = 0;
  private ordersReworked = 0;
  private promiseRecomputations = 0;
  private plannerBookings = 0;
  private breaches = 0;
  private ordersBreaching = 0;
  private readonly bySla = new Map<string, number>();
  private shipMeasured = 0;
  private shipOnTime = 0;
  private deliveryMeasured = 0;
  private deliveryOnTime = 0;
  private readonly invoiceLag = new Numbers();
  private escalations = 0;
  private recommendations = emptyRecommendationStats();
  private readonly variants = new Map<string, { count: number; hours: Numbers; inProgress: number }>();

  constructor(private readonly options: ProcessMetricsOptions = {}) {}

  /** Adds one order's log (any order of entries; the order id is taken from the entries). */
  add(log: readonly LogEntry[], orderId?: string): this {
    if (log.length === 0) return this;
    const tl = buildTimeline(log, orderId);
    this.events += log.length;
    this.orders++;
    const { entries, times, visits } = tl;
    if (times[0]! < this.first) this.first = times[0]!;
    if (times[times.length - 1]! > this.last) this.last = times[times.length - 1]!;
    this.finalStage(tl);
    this.stagesAndWaits(tl);

    // Facts found in one pass over the entries.
    const exceptions = new Map<string, { category: string; raisedAt: number; dueAt?: number }>();
    const decisions = new Map<string, { at: number; role: string }>();
    const approvalsRequested = new Map<string, string>();
    const breachedStages = new Set<string>();
    let reTenders = 0;
    let reallocations = 0;
    let recommended = false;
    let released: LogEntry | undefined;
    let shipDue: number | undefined;
    let deliveryDue: number | undefined;
    let shippedAt: number | undefined;
    let deliveredAt: number | undefined;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const t = times[i]!;
      const d = e.details ?? {};
      switch (e.type) {
        case 'STAGE_CHANGED':
          if (e.stage === 'RELEASED') released ??= e;
          break;
        case 'EXCEPTION_RAISED': {
          const id = str(d.exceptionId) ?? e.eventId;
          if (exceptions.has(id)) break;
          const category = str(d.category) ?? 'UNKNOWN';
          exceptions.set(id, { category, raisedAt: t, dueAt: ms(d.dueAt) });
          inc(this.byCategory, category);
          inc(this.bySource, e.sourceSystem || 'unknown');
          inc(this.byOwner, str(d.ownerTeam) ?? 'unknown');
          break;
        }
        case 'EXCEPTION_RESOLVED':
        case 'APPROVAL_DECIDED': {
          const id = str(e.type === 'APPROVAL_DECIDED' ? d.approvalId : d.exceptionId);
          if (id && !decisions.has(id)) decisions.set(id, { at: t, role: e.actor?.role ?? e.actor?.id ?? 'unknown' });
          break;
        }
        case 'APPROVAL_REQUESTED': {
          const id = str(d.approvalId) ?? e.eventId;
          if (!approvalsRequested.has(id)) {
            approvalsRequested.set(id, str(d.ownerTeam) ?? 'unknown');
            this.escalations++;
          }
          break;
        }
        case 'SLA_BREACHED': {
          this.breaches++;
          inc(this.bySla, str(d.sla) ?? 'unknown');
          const s = e.stage ?? stageAt(visits, t) ?? 'UNKNOWN';
          inc(this.stageBreaches, s);
          breachedStages.add(s);
          break;
        }
        case 'DECISION':
          if (d.decision === 'RE_TENDER') reTenders++;
          else if (d.decision === 'REALLOCATED') reallocations++;
          else if (d.decision === 'PROMISE_RECOMPUTED') this.promiseRecomputations++;
          else if (d.decision === 'BOOK_PLANNER_CARRIER') this.plannerBookings++;
          else if (d.decision === 'RECOMMENDATION') recommended = true;
          break;
        case 'WAIT_STARTED':
          if (d.kind === 'SHIP_CONFIRMATION') shipDue ??= ms(d.dueAt);
          if (d.kind === 'DELIVERY') deliveryDue ??= ms(d.dueAt);
          break;
        case 'PARTNER_EVENT':
          if (d.eventType === 'ShipConfirmed') shippedAt ??= ms(d.shippedAt) ?? t;
          if (d.eventType === 'ProofOfDelivery') deliveredAt ??= ms(d.deliveredAt) ?? t;
          break;
        default:
          break;
      }
    }

    // Exceptions: resolution, aging.
    if (exceptions.size > 0) this.ordersWithException++;
    this.exceptions += exceptions.size;
    for (const [id, x] of exceptions) {
      const decided = decisions.get(id);
      if (decided) {
        this.resolved++;
        this.hoursToResolve.push((decided.at - x.raisedAt) / hour);
        if (x.dueAt !== undefined) {
          if (decided.at <= x.dueAt) this.resolvedWithinSla++;
          else this.resolvedLate++;
        }
      } else if (tl.finished) {
        this.closedWithOrder++;
      } else {
        this.open.push({ exceptionId: id, orderId: tl.orderId, category: x.category, raisedAt: x.raisedAt, dueAt: x.dueAt });
      }
    }
    // People's decisions by role: approvals and exception resolutions alike (an approval is an exception's decision).
    for (const [id, raisedTeam] of approvalsRequested) if (!decisions.has(id)) inc(this.roleRequested, raisedTeam);
    for (const [id, decided] of decisions) {
      const raised = exceptions.get(id)?.raisedAt;
      if (raised === undefined) continue;
      inc(this.roleRequested, decided.role);
      numbers(this.roleDecided, decided.role).push((decided.at - raised) / hour);
    }

    if (recommended) this.recommendations = addRecommendations(this.recommendations, recommendationAudit(entries));

    // Rework.
    this.reTenders += reTenders;
    this.reallocations += reallocations;
    const reallocated = reallocations > 0 || visits.some((v) => v.stage === 'REALLOCATED');
    if (reTenders > 0) this.ordersReTendered++;
    if (reallocated) this.ordersReallocated++;
    if (reTenders > 0 || reallocated) this.ordersReworked++;

    // SLA breaches per stage (orders with at least one).
    if (breachedStages.size > 0) this.ordersBreaching++;
    for (const s of breachedStages) inc(this.stageBreachOrders, s);

    // On time: against the promise written at release when the log has it, else against the wait's deadline.
    const visitStart = (s: string) => visits.find((v) => v.stage === s)?.start;
    shippedAt ??= visitStart('SHIPPED');
    deliveredAt ??= visitStart('DELIVERED');
    const shipBy = ms(released?.details?.requestedShipDate) ?? shipDue;
    const deliverBy = ms(released?.details?.promisedDeliveryDate) ?? deliveryDue;
    if (shippedAt !== undefined && shipBy !== undefined) {
      this.shipMeasured++;
      if (shippedAt <= shipBy) this.shipOnTime++;
    }
    if (deliveredAt !== undefined && deliverBy !== undefined) {
      this.deliveryMeasured++;
      if (deliveredAt <= deliverBy) this.deliveryOnTime++;
    }

    // Invoice lag after proof of delivery.
    const invoiced = visitStart('INVOICED');
    const delivered = visitStart('DELIVERED');
    if (invoiced !== undefined && delivered !== undefined) this.invoiceLag.push((invoiced - delivered) / hour);
    return this;
  }

  private finalStage(tl: OrderTimeline) {
    inc(this.finalStages, tl.finalStage ?? 'UNKNOWN');
    const { visits } = tl;
    if (visits.length === 0) return;
    const path = visits.map((v) => v.stage).join('>');
    let variant = this.variants.get(path);
    if (!variant) this.variants.set(path, (variant = { count: 0, hours: new Numbers(), inProgress: 0 }));
    variant.count++;
    variant.hours.push((visits[visits.length - 1]!.start - visits[0]!.start) / hour);
    if (!tl.finished) variant.inProgress++;
    const released = visits.find((v) => v.stage === 'RELEASED');
    if (released && tl.finalStage === 'COMPLETED') this.endToEnd.push((visits[visits.length - 1]!.start - released.start) / hour);
  }

  private stagesAndWaits(tl: OrderTimeline) {
    const merged = mergedWaits(tl.waits);
    const perStage = new Map<string, { total: number; waiting: number }>();
    const entered = new Set<string>();
    for (const v of tl.visits) {
      entered.add(v.stage);
      if (v.end === undefined) continue;
      const acc = perStage.get(v.stage) ?? { total: 0, waiting: 0 };
      acc.total += v.end - v.start;
      acc.waiting += overlap(merged, v.start, v.end);
      perStage.set(v.stage, acc);
    }
    for (const s of entered) inc(this.stageOrders, s);
    for (const [s, acc] of perStage) {
      numbers(this.stageHours, s).push(acc.total / hour);
      // Milliseconds (integers): the sums are exact, so the result does not depend on the order orders come in.
      inc(this.stageTotal, s, acc.total);
      inc(this.stageWaiting, s, acc.waiting);
    }
    for (const w of tl.waits) {
      this.waitsTotal++;
      if (w.end === undefined) this.waitsOpen++;
      else numbers(this.waitHours, w.kind).push((w.end - w.start) / hour);
    }
  }

  result(): ProcessReport {
    const orders = this.orders;
    const per = (n: number) => (orders ? n / orders : 0);
    const rows = (m: Map<string, number>): CountRow[] =>
      [...m].map(([key, count]) => ({ key, count, perOrder: per(count) })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
    const asOfMs = ms(this.options.asOf) ?? (Number.isFinite(this.last) ? this.last : undefined);

    const totalWaiting = [...this.stageWaiting.values()].reduce((a, b) => a + b, 0) / hour;
    const known = new Set(stageOrder);
    const stageNames = [...stageOrder.filter((s) => this.stageOrders.has(s)), ...[...this.stageOrders.keys()].filter((s) => !known.has(s)).sort()];
    const stages: StageReport[] = stageNames.map((stage) => {
      const total = (this.stageTotal.get(stage) ?? 0) / hour;
      const waiting = (this.stageWaiting.get(stage) ?? 0) / hour;
      const entered = this.stageOrders.get(stage) ?? 0;
      const breachOrders = this.stageBreachOrders.get(stage) ?? 0;
      return {
        stage,
        orders: entered,
        cycleHours: summarize(this.stageHours.get(stage)?.view() ?? []),
        totalHours: total,
        waitingHours: waiting,
        workingHours: Math.max(0, total - waiting),
        waitingShareOfStage: total > 0 ? waiting / total : 0,
        shareOfAllWaiting: totalWaiting > 0 ? waiting / totalWaiting : 0,
        ordersBreachingSla: breachOrders,
        slaBreachRate: entered ? breachOrders / entered : 0,
        slaBreaches: this.stageBreaches.get(stage) ?? 0,
      };
    });
    const top = stages.filter((s) => s.waitingHours > 0).sort((a, b) => b.waitingHours - a.waitingHours)[0];

    const ageCounts: Record<string, number> = Object.fromEntries(ageBuckets.map((b) => [b, 0]));
    let openOverdue = 0;
    let oldest: ProcessReport['exceptions']['aging']['oldestOpen'];
    if (asOfMs !== undefined) {
      for (const x of this.open) {
        const age = Math.max(0, (asOfMs - x.raisedAt) / hour);
        ageCounts[ageBuckets[bucketOf(age)]!]!++;
        const overdue = x.dueAt !== undefined && asOfMs > x.dueAt;
        if (overdue) openOverdue++;
        // Ties (exceptions raised at the same instant) go to the smaller id, so the answer does not depend on the order logs are read in.
        if (!oldest || age > oldest.ageHours || (age === oldest.ageHours && x.exceptionId < oldest.exceptionId)) {
          oldest = { exceptionId: x.exceptionId, orderId: x.orderId, category: x.category, ageHours: age, overdueHours: overdue ? (asOfMs - x.dueAt!) / hour : 0 };
        }
      }
    }

    const roles = new Set([...this.roleRequested.keys(), ...this.roleDecided.keys()]);
    const approvals: RoleLatency[] = [...roles].sort().map((role) => {
      const decided = this.roleDecided.get(role)?.length ?? 0;
      const requested = this.roleRequested.get(role) ?? 0;
      return { role, requested, decided, pending: requested - decided, latencyHours: summarize(this.roleDecided.get(role)?.view() ?? []) };
    });

    const variants = [...this.variants]
      .map(([key, v]) => ({ path: key.split('>'), count: v.count, share: per(v.count), medianHours: percentile(Float64Array.from(v.hours.view()).sort(), 50), inProgress: v.inProgress }))
      .sort((a, b) => b.count - a.count || a.medianHours - b.medianHours || a.path.join('>').localeCompare(b.path.join('>')));

    const finalStages = Object.fromEntries([...this.finalStages].sort((a, b) => b[1] - a[1]));
    const completed = this.finalStages.get('COMPLETED') ?? 0;
    const cancelled = this.finalStages.get('CANCELLED') ?? 0;
    const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : undefined);
    return {
      events: this.events,
      orders,
      firstEventAt: iso(this.first),
      lastEventAt: iso(this.last),
      asOf: asOfMs !== undefined ? new Date(asOfMs).toISOString() : undefined,
      ordersByFinalStage: finalStages,
      completed,
      cancelled,
      inProgress: orders - completed - cancelled,
      endToEndHours: summarize(this.endToEnd.view()),
      stages,
      bottleneck: top ? { stage: top.stage, waitingHours: top.waitingHours, share: top.shareOfAllWaiting } : undefined,
      waits: {
        total: this.waitsTotal,
        open: this.waitsOpen,
        byKind: Object.fromEntries([...this.waitHours].sort().map(([k, v]) => [k, summarize(v.view())])),
      },
      exceptions: {
        total: this.exceptions,
        ordersWithException: this.ordersWithException,
        orderRate: per(this.ordersWithException),
        byCategory: rows(this.byCategory),
        bySourceSystem: rows(this.bySource),
        byOwnerTeam: rows(this.byOwner),
        aging: {
          resolved: this.resolved,
          resolvedWithinSla: this.resolvedWithinSla,
          resolvedLate: this.resolvedLate,
          hoursToResolve: summarize(this.hoursToResolve.view()),
          closedWithOrder: this.closedWithOrder,
          open: this.open.length,
          openOverdue,
          openAgeBuckets: ageCounts,
          oldestOpen: oldest,
        },
      },
      approvals,
      rework: {
        reTenders: this.reTenders,
        ordersReTendered: this.ordersReTendered,
        reallocations: this.reallocations,
        ordersReallocated: this.ordersReallocated,
        promiseRecomputations: this.promiseRecomputations,
        plannerBookings: this.plannerBookings,
        reworkRate: per(this.ordersReworked),
      },
      slaBreaches: {
        total: this.breaches,
        ordersAffected: this.ordersBreaching,
        bySla: Object.fromEntries([...this.bySla].sort((a, b) => b[1] - a[1])),
        byStage: Object.fromEntries([...this.stageBreaches].sort((a, b) => b[1] - a[1])),
      },
      onTimeShipment: { measured: this.shipMeasured, onTime: this.shipOnTime, rate: this.shipMeasured ? this.shipOnTime / this.shipMeasured : 0 },
      onTimeDelivery: { measured: this.deliveryMeasured, onTime: this.deliveryOnTime, rate: this.deliveryMeasured ? this.deliveryOnTime / this.deliveryMeasured : 0 },
      invoiceLagHours: summarize(this.invoiceLag.view()),
      escalations: this.escalations,
      recommendations: this.recommendations,
      variantCount: this.variants.size,
      variants: variants.slice(0, this.options.topVariants ?? 20),
    };
  }
}

/** Computes the report over logs given as a map or any iterable of order logs. */
export function processMetrics(logs: ReadonlyMap<string, readonly LogEntry[]> | Iterable<readonly LogEntry[]>, options?: ProcessMetricsOptions): ProcessReport {
  const m = new ProcessMetrics(options);
  if (logs instanceof Map) for (const [orderId, log] of logs as ReadonlyMap<string, readonly LogEntry[]>) m.add(log, orderId);
  else for (const log of logs as Iterable<readonly LogEntry[]>) m.add(log);
  return m.result();
}

/** Streams order logs from an async source through the metrics. */
export async function processMetricsFrom(source: AsyncIterable<{ orderId: string; entries: readonly LogEntry[] }>, options?: ProcessMetricsOptions): Promise<ProcessReport> {
  const m = new ProcessMetrics(options);
  for await (const order of source) m.add(order.entries, order.orderId);
  return m.result();
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
  /** The decision step's recommendations: auto-applied, sent for approval, approved, overridden. */
  readonly recommendations: RecommendationStats;
  /** Everything else (waiting time, bottleneck, variants, on-time rates...). */
  readonly report: ProcessReport;
}

/**
 * The operations summary a logistics manager reads at the end of a day (the `npm start` scenario):
 * the same metrics as the report, with orders counted by the final stage the caller knows (the
 * order's state, which may be ahead of its log).
 */
export function operationsSummary(logs: ReadonlyMap<string, readonly LogEntry[]>, finalStage: (orderId: string) => string): OperationsSummary {
  const report = processMetrics(logs);
  const byFinalStage: Record<string, number> = {};
  for (const orderId of logs.keys()) {
    const s = finalStage(orderId);
    byFinalStage[s] = (byFinalStage[s] ?? 0) + 1;
  }
  const record = (rows: readonly CountRow[]) => Object.fromEntries(rows.map((r) => [r.key, r.count]));
  return {
    orders: logs.size,
    byFinalStage,
    exceptionsByCategory: record(report.exceptions.byCategory),
    exceptionsByOwner: record(report.exceptions.byOwnerTeam),
    stageCycleHours: Object.fromEntries(report.stages.filter((s) => s.cycleHours.count > 0).map((s) => [s.stage, s.cycleHours])),
    endToEndHours: report.endToEndHours,
    slaBreaches: report.slaBreaches.bySla,
    reTenders: report.rework.reTenders,
    reallocations: report.rework.reallocations,
    escalations: report.escalations,
    delays: report.rework.promiseRecomputations,
    recommendations: report.recommendations,
    report,
  };
}
