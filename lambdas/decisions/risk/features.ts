import { isEndOfWeek, isPastCutoff } from '../../domain/calendar';
import type { CustomerPriority } from '../../domain/order';
import type { LogEntry } from '../../ports';
import type { LaneStats, RiskContext } from '../types';

/**
 * The delay-risk model's features, computed from a RiskContext: the same function serves training
 * (contexts rebuilt from the event log, below) and scoring (contexts the decision step assembles),
 * so the model sees at run time exactly what it was trained on.
 */

const H = 3_600_000;

/** Names a reader sees in the artifact, the report and a recommendation's risk factors. */
export const featureNames = [
  'site queue',
  'stock short at assigned site',
  'hours to ship date',
  'ship date within 12 h',
  'hours to delivery date',
  'after 15:00 UTC cut-off',
  'Friday or weekend',
  'EXPRESS priority',
  'PRIORITY priority',
  'carrier late rate on lane',
  'carrier late last time on lane',
  'carrier new on lane',
] as const;
export type FeatureName = (typeof featureNames)[number];

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** A carrier's late rate on the lane, smoothed towards 10% so one shipment neither condemns nor clears it. */
export function smoothedLateRate(lane: LaneStats | undefined): number {
  return ((lane?.late ?? 0) + 0.2) / ((lane?.shipments ?? 0) + 2);
}

export function featuresOf(context: RiskContext): number[] {
  const at = Date.parse(context.at);
  const hoursToShip = (Date.parse(context.requestedShipDate) - at) / H;
  const hoursToDelivery = (Date.parse(context.promisedDeliveryDate) - at) / H;
  const lane = context.carrierLane;
  const values: Record<FeatureName, number> = {
    'site queue': context.siteQueueLength,
    'stock short at assigned site': context.stockAvailable ? 0 : 1,
    'hours to ship date': clamp(hoursToShip, -48, 96),
    'ship date within 12 h': hoursToShip < 12 ? 1 : 0,
    'hours to delivery date': clamp(hoursToDelivery, -48, 168),
    'after 15:00 UTC cut-off': isPastCutoff(context.at) ? 1 : 0,
    'Friday or weekend': isEndOfWeek(context.at) ? 1 : 0,
    'EXPRESS priority': context.customerPriority === 'EXPRESS' ? 1 : 0,
    'PRIORITY priority': context.customerPriority === 'PRIORITY' ? 1 : 0,
    'carrier late rate on lane': smoothedLateRate(lane),
    'carrier late last time on lane': lane?.lastLate ? 1 : 0,
    'carrier new on lane': (lane?.shipments ?? 0) === 0 ? 1 : 0,
  };
  return featureNames.map((name) => values[name]);
}

/** One order at its decision time: what was known then, and whether it went on to miss a commitment. */
export interface RiskExample {
  readonly orderId: string;
  readonly context: RiskContext;
  readonly features: number[];
  /** 1: shipped after the requested ship date, or delivered after the original promise (or announced late). */
  readonly label: 0 | 1;
  readonly shipLate: boolean;
  readonly deliveryLate: boolean;
}

interface OpenOrder {
  released?: { requestedShipDate: string; promisedDeliveryDate: string; customerPriority: CustomerPriority };
  siteQueueLength?: number;
  stockShort: boolean;
  decision?: { context: RiskContext; features: number[] };
  carrierId?: string;
  lane?: string;
  shipLate: boolean;
  deliveryLate: boolean;
}

const str = (x: unknown) => (typeof x === 'string' ? x : undefined);

/**
 * Builds training examples from the event log, read in business-time order, one entry at a time.
 *
 * The decision time of an order is when its carrier is confirmed (site, carrier and lane known, as
 * when the decision step scores an alternate). Its features are a snapshot taken then, so nothing
 * that happens later (its own shipment, or deliveries of other orders finishing afterwards) can
 * reach them: the lane history counts only deliveries whose proof of delivery came before. The
 * label is settled when the order's delivery ends; orders that never got a carrier, or ended
 * without a ship or delivery outcome, give no example.
 */
export class RiskExampleBuilder {
  private readonly orders = new Map<string, OpenOrder>();
  private readonly lanes = new Map<string, { tenders: number; accepted: number; shipments: number; late: number; lastLate?: boolean }>();
  private readonly done: RiskExample[] = [];
  private last = '';

  /** Entries must come in business-time order (equal times in any order). */
  push(entry: LogEntry): void {
    if (entry.at < this.last) throw new Error(`event log out of time order: ${entry.eventId} at ${entry.at} after ${this.last}`);
    this.last = entry.at;
    const o = this.order(entry.orderId);
    const d = entry.details ?? {};
    switch (entry.type) {
      case 'STAGE_CHANGED':
        if (entry.stage === 'RELEASED' && str(d.requestedShipDate) && str(d.promisedDeliveryDate)) {
          o.released = { requestedShipDate: d.requestedShipDate as string, promisedDeliveryDate: d.promisedDeliveryDate as string, customerPriority: (str(d.customerPriority) ?? 'STANDARD') as CustomerPriority };
        } else if ((entry.stage === 'ALLOCATED' || entry.stage === 'REALLOCATED') && typeof d.siteQueueLength === 'number') {
          o.siteQueueLength = d.siteQueueLength;
        } else if (entry.stage === 'CARRIER_CONFIRMED' && o.released && entry.carrierId) {
          this.decide(o, entry);
        }
        break;
      case 'DECISION':
        if (d.decision === 'STOCK_SHORT_AT_ASSIGNED_SITE') o.stockShort = true;
        else if (d.decision === 'PROMISE_RECOMPUTED' && str(d.from) && str(d.to) && Date.parse(d.to as string) > Date.parse(d.from as string)) o.deliveryLate = true;
        break;
      case 'SLA_BREACHED':
        if (d.sla === 'ship-confirmation') o.shipLate = true;
        else if (d.sla === 'delivery') o.deliveryLate = true;
        break;
      case 'PARTNER_EVENT':
        this.partnerEvent(o, entry, d);
        break;
      default:
        break;
    }
  }

  /** The examples settled so far, in decision-time order. */
  examples(): RiskExample[] {
    return [...this.done].sort((a, b) => (a.context.at < b.context.at ? -1 : a.context.at > b.context.at ? 1 : 0));
  }

  /** The carrier's record on the lane as of now. */
  laneStats(carrierId: string, lane: string): LaneStats | undefined {
    const s = this.lanes.get(`${carrierId}|${lane}`);
    return s ? { ...s } : undefined;
  }

  private order(orderId: string): OpenOrder {
    let o = this.orders.get(orderId);
    if (!o) this.orders.set(orderId, (o = { stockShort: false, shipLate: false, deliveryLate: false }));
    return o;
  }

  private decide(o: OpenOrder, entry: LogEntry) {
    const released = o.released!;
    o.carrierId = entry.carrierId;
    o.lane = entry.lane;
    const context: RiskContext = {
      at: entry.at,
      customerPriority: released.customerPriority,
      requestedShipDate: released.requestedShipDate,
      promisedDeliveryDate: released.promisedDeliveryDate,
      siteId: entry.siteId ?? '',
      siteQueueLength: o.siteQueueLength ?? 0,
      stockAvailable: !o.stockShort,
      carrierId: entry.carrierId,
      lane: entry.lane,
      carrierLane: entry.lane && entry.carrierId ? this.laneStats(entry.carrierId, entry.lane) : undefined,
    };
    o.decision = { context, features: featuresOf(context) };
  }

  private partnerEvent(o: OpenOrder, entry: LogEntry, d: Record<string, unknown>) {
    const released = o.released;
    if (d.eventType === 'TenderAccepted' || d.eventType === 'TenderRejected') {
      const carrierId = str(d.carrierId) ?? entry.carrierId;
      if (carrierId && entry.lane) {
        const s = this.lane(carrierId, entry.lane);
        s.tenders += 1;
        if (d.eventType === 'TenderAccepted') s.accepted += 1;
      }
    } else if (d.eventType === 'ShipConfirmed' && released) {
      const shippedAt = str(d.shippedAt) ?? entry.at;
      if (Date.parse(shippedAt) > Date.parse(released.requestedShipDate)) o.shipLate = true;
    } else if (d.eventType === 'ProofOfDelivery' && released) {
      const deliveredAt = str(d.deliveredAt) ?? entry.at;
      if (Date.parse(deliveredAt) > Date.parse(released.promisedDeliveryDate)) o.deliveryLate = true;
      const carrierId = o.carrierId ?? entry.carrierId;
      const lane = o.lane ?? entry.lane;
      if (carrierId && lane) {
        const s = this.lane(carrierId, lane);
        s.shipments += 1;
        if (o.deliveryLate) s.late += 1;
        s.lastLate = o.deliveryLate;
      }
      this.settle(entry.orderId, o);
    }
  }

  private lane(carrierId: string, lane: string) {
    const key = `${carrierId}|${lane}`;
    let s = this.lanes.get(key);
    if (!s) this.lanes.set(key, (s = { tenders: 0, accepted: 0, shipments: 0, late: 0 }));
    return s;
  }

  private settle(orderId: string, o: OpenOrder) {
    if (o.decision) {
      const label = o.shipLate || o.deliveryLate ? 1 : 0;
      this.done.push({ orderId, context: o.decision.context, features: o.decision.features, label, shipLate: o.shipLate, deliveryLate: o.deliveryLate });
    }
    this.orders.delete(orderId);
  }
}

/** Examples from a whole log (any order of entries: sorted by business time first). */
export function buildExamples(entries: Iterable<LogEntry>): RiskExample[] {
  const sorted = [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const builder = new RiskExampleBuilder();
  for (const e of sorted) builder.push(e);
  return builder.examples();
}
