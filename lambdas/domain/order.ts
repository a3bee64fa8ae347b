import type { EventData } from '../contracts';

export type Stage = EventData<'OrderStageChanged'>['toStage'];
export type OrderReleased = EventData<'OrderReleased'>;
export type OrderLine = OrderReleased['lines'][number];
export type CustomerPriority = OrderReleased['customerPriority'];
export type OwnerTeam = EventData<'ExceptionRaised'>['ownerTeam'];
export type ExceptionCategory = EventData<'ExceptionRaised'>['category'];
export type Severity = EventData<'ExceptionRaised'>['severity'];
export type Actor = EventData<'OrderStageChanged'>['actor'];

/** Overall status of an order, for dashboards and the reconciler. */
export type OrderStatus = 'RUNNING' | 'ON_HOLD' | 'COMPLETED' | 'CANCELLED';

/**
 * What the workflow carries about an order. Kept small on purpose (Step Functions payloads are
 * limited to 256 KiB): order lines stay in the store (claim check) and are read by the tasks that
 * need them.
 */
export interface OrderSummary {
  readonly orderId: string;
  readonly customerId: string;
  readonly customerPriority: CustomerPriority;
  /** Site currently fulfilling the order (the ERP's choice, or the one stock was reallocated to). */
  readonly siteId: string;
  readonly destinationCountry: string;
  readonly destinationCity: string;
  readonly requestedShipDate: string;
  readonly promisedDeliveryDate: string;
  readonly lineCount: number;
  readonly totalUnits: number;
  readonly weightKg: number;
  readonly orderValue?: { amount: number; currency: string };
}

export interface OrderState {
  readonly summary: OrderSummary;
  readonly stage: Stage;
  readonly status: OrderStatus;
  readonly version: number;
  readonly cancelRequested?: { reason: string; at: string };
  readonly carrierId?: string;
  readonly loadId?: string;
  /** Carriers for the lane, by rank (from the TMS load plan). */
  readonly carriers?: ReadonlyArray<{ carrierId: string; rank: number; rate: { amount: number; currency: string } }>;
  readonly lane?: string;
  readonly shipmentId?: string;
  /** The key of the wait the order's workflow registered last (what a cancellation interrupts). */
  readonly activeWaitKey?: string;
  readonly executionArn?: string;
  /** The promised delivery date at release, kept when a carrier's delay moved the promise (the order counts as late on its lane). */
  readonly promiseMovedFrom?: string;
  readonly updatedAt: string;
}

/** Stages after which goods have left the building, in the order they are reached: a cancellation can no longer be compensated. */
const shippedStageOrder: readonly Stage[] = ['SHIPPED', 'IN_TRANSIT', 'DELIVERED', 'INVOICED', 'COMPLETED'];
const shippedStages: ReadonlySet<Stage> = new Set(shippedStageOrder);

export function hasShipped(stage: Stage): boolean {
  return shippedStages.has(stage);
}

/**
 * Whether an order at `current` is already past `stage` on the way from shipment to completion (a
 * "shipped" confirmation that arrives after the first in-transit scan, say): recording the fact
 * must not move the order back.
 */
export function isPastShippedStage(current: Stage, stage: Stage): boolean {
  const at = shippedStageOrder.indexOf(current);
  const to = shippedStageOrder.indexOf(stage);
  return to >= 0 && at > to;
}

/** Builds the workflow's order summary from the ERP release. */
export function summarize(order: OrderReleased): OrderSummary {
  const totalUnits = order.lines.reduce((n, l) => n + l.quantity, 0);
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    customerPriority: order.customerPriority,
    siteId: order.siteId,
    destinationCountry: order.shipTo.country,
    destinationCity: order.shipTo.city,
    requestedShipDate: order.requestedShipDate,
    promisedDeliveryDate: order.promisedDeliveryDate,
    lineCount: order.lines.length,
    totalUnits,
    // ERPs often omit weight; a unit weight of 2 kg is the planning default until the WMS weighs it.
    weightKg: order.weightKg ?? totalUnits * 2,
    orderValue: order.orderValue,
  };
}

/** The lane a load travels: origin site to destination country. */
export function laneOf(summary: Pick<OrderSummary, 'siteId' | 'destinationCountry'>): string {
  return `${summary.siteId}>${summary.destinationCountry}`;
}
