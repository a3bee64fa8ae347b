import type { LogEntry, WorkflowStore } from '../ports';
import { buildTimeline } from './order-timeline';

/**
 * The headline process metrics as the workflow runs (CloudWatch, through Powertools Metrics in
 * embedded metric format on AWS). Pure: `liveMetrics(entry, history)` says what one new log entry
 * contributes; `withProcessMetrics` wraps a store so that every first-time append emits it.
 *
 * Dimensions are kept few on purpose: each distinct (name, dimensions) pair is a billed custom
 * metric, so only `stage` (17 values), `sourceSystem` (about 7) and `role` (a handful) are used, and
 * never order, carrier, lane, site or customer (thousands of combinations). Those questions are
 * answered by the report over the event log, which costs nothing until it runs.
 */

export type MetricUnit = 'Count' | 'Seconds';

export interface MetricDatum {
  readonly name: string;
  readonly unit: MetricUnit;
  readonly value: number;
  readonly dimensions?: Readonly<Record<string, string>>;
}

/** Where metrics go: Powertools Metrics on AWS (one single-metric per datum with dimensions). */
export interface MetricSink {
  emit(datum: MetricDatum): void;
}

/** Metric names (the dashboard and alarms in lib/constructs/operations-dashboard.ts use the same). */
export const liveMetricNames = {
  ordersReleased: 'OrdersReleased',
  ordersCompleted: 'OrdersCompleted',
  ordersCancelled: 'OrdersCancelled',
  orderCycleTime: 'OrderCycleTime',
  stageEntered: 'StageEntered',
  stageTime: 'StageTime',
  slaBreached: 'SlaBreached',
  slaBreaches: 'SlaBreaches',
  exceptionOverdue: 'ExceptionOverdue',
  exceptionBySource: 'ExceptionBySource',
  decisionLatency: 'DecisionLatency',
  shippedOnTime: 'ShippedOnTime',
  deliveredOnTime: 'DeliveredOnTime',
  invoiceLag: 'InvoiceLag',
  reTender: 'ReTender',
  reallocation: 'Reallocation',
} as const;

const m = liveMetricNames;
const seconds = (a: number, b: number) => Math.max(0, (b - a) / 1000);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const ms = (v: unknown) => {
  const s = str(v);
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? undefined : t;
};

/** Entry types for which the emitter needs the order's earlier log. */
export const needsHistory = (entry: LogEntry): boolean => entry.type === 'STAGE_CHANGED' || entry.type === 'APPROVAL_DECIDED' || entry.type === 'EXCEPTION_RESOLVED';

/**
 * What one new entry adds to the live metrics. `history` is the order's log (with or without the
 * entry itself); only stage changes and decisions look at it.
 */
export function liveMetrics(entry: LogEntry, history: readonly LogEntry[] = []): MetricDatum[] {
  const out: MetricDatum[] = [];
  const d = entry.details ?? {};
  const at = Date.parse(entry.at);
  switch (entry.type) {
    case 'STAGE_CHANGED': {
      const stage = entry.stage;
      if (!stage) break;
      const prior = history.filter((e) => e.eventId !== entry.eventId);
      const tl = buildTimeline(prior, entry.orderId);
      const current = tl.visits[tl.visits.length - 1];
      if (current?.stage === stage) break; // a repeat (re-tender, second in-transit milestone): same visit
      out.push({ name: m.stageEntered, unit: 'Count', value: 1, dimensions: { stage } });
      if (current && at >= current.start) out.push({ name: m.stageTime, unit: 'Seconds', value: seconds(current.start, at), dimensions: { stage: current.stage } });
      const visit = (s: string) => tl.visits.find((v) => v.stage === s)?.start;
      if (stage === 'RELEASED') out.push({ name: m.ordersReleased, unit: 'Count', value: 1 });
      if (stage === 'CANCELLED') out.push({ name: m.ordersCancelled, unit: 'Count', value: 1 });
      if (stage === 'COMPLETED') {
        out.push({ name: m.ordersCompleted, unit: 'Count', value: 1 });
        const released = visit('RELEASED');
        if (released !== undefined) out.push({ name: m.orderCycleTime, unit: 'Seconds', value: seconds(released, at) });
      }
      // On time as 1 or 0: the Average statistic is the rate.
      const released = prior.find((e) => e.type === 'STAGE_CHANGED' && e.stage === 'RELEASED');
      const firstWait = (kind: string) => ms(prior.find((e) => e.type === 'WAIT_STARTED' && e.details?.kind === kind)?.details?.dueAt);
      if (stage === 'SHIPPED') {
        const due = ms(released?.details?.requestedShipDate) ?? firstWait('SHIP_CONFIRMATION');
        if (due !== undefined) out.push({ name: m.shippedOnTime, unit: 'Count', value: at <= due ? 1 : 0 });
      }
      if (stage === 'DELIVERED') {
        const due = ms(released?.details?.promisedDeliveryDate) ?? firstWait('DELIVERY');
        if (due !== undefined) out.push({ name: m.deliveredOnTime, unit: 'Count', value: at <= due ? 1 : 0 });
      }
      if (stage === 'INVOICED') {
        const delivered = visit('DELIVERED');
        if (delivered !== undefined) out.push({ name: m.invoiceLag, unit: 'Seconds', value: seconds(delivered, at) });
      }
      break;
    }
    case 'SLA_BREACHED': {
      const tl = entry.stage ? undefined : buildTimeline(history.filter((e) => e.eventId !== entry.eventId), entry.orderId);
      const stage = entry.stage ?? tl?.visits[tl.visits.length - 1]?.stage ?? 'UNKNOWN';
      out.push({ name: m.slaBreached, unit: 'Count', value: 1, dimensions: { stage } });
      out.push({ name: m.slaBreaches, unit: 'Count', value: 1 });
      // An exception whose owner did not decide by its due time (the order goes on hold).
      if (str(d.exceptionId)) out.push({ name: m.exceptionOverdue, unit: 'Count', value: 1 });
      break;
    }
    case 'EXCEPTION_RAISED':
      out.push({ name: m.exceptionBySource, unit: 'Count', value: 1, dimensions: { sourceSystem: entry.sourceSystem || 'unknown' } });
      break;
    case 'APPROVAL_DECIDED':
    case 'EXCEPTION_RESOLVED': {
      const id = str(entry.type === 'APPROVAL_DECIDED' ? d.approvalId : d.exceptionId);
      const raised = history.find((e) => e.type === 'EXCEPTION_RAISED' && (e.details?.exceptionId === id || e.details?.approvalId === id));
      if (id && raised) out.push({ name: m.decisionLatency, unit: 'Seconds', value: seconds(Date.parse(raised.at), at), dimensions: { role: entry.actor?.role ?? 'unknown' } });
      break;
    }
    case 'DECISION':
      if (d.decision === 'RE_TENDER') out.push({ name: m.reTender, unit: 'Count', value: 1 });
      if (d.decision === 'REALLOCATED') out.push({ name: m.reallocation, unit: 'Count', value: 1 });
      break;
    default:
      break;
  }
  return out;
}

/**
 * A store that emits the live metrics of every entry it appends for the first time (a repeated
 * append emits nothing, so retried steps are not counted twice). Stage changes and decisions read
 * the order's log first: one Query of a few dozen items, the price of durations without keeping
 * state anywhere else. A metrics failure never fails the append.
 */
export function withProcessMetrics<S extends WorkflowStore>(store: S, sink: MetricSink, onError: (error: unknown) => void = () => {}): S {
  const append = store.append.bind(store);
  const wrapped = Object.create(store) as S;
  wrapped.append = async (entry: LogEntry) => {
    const firstTime = await append(entry);
    if (firstTime) {
      try {
        const history = needsHistory(entry) || (entry.type === 'SLA_BREACHED' && !entry.stage) ? await store.history(entry.orderId) : [];
        for (const datum of liveMetrics(entry, history)) sink.emit(datum);
      } catch (error) {
        onError(error);
      }
    }
    return firstTime;
  };
  return wrapped;
}
