import type { OrderSummary } from './order';

/** SLA of each wait in the workflow; every wait has one, so nothing hangs silently. */
export interface SlaPolicy {
  /** How long a carrier has to answer a tender. */
  readonly tenderResponseSeconds: number;
  /** How long a planner has to decide after automatic tendering is exhausted. */
  readonly plannerDecisionSeconds: number;
  /** Grace after the requested ship date before a missing ship confirmation is an exception. */
  readonly shipGraceSeconds: number;
  /** Grace after the promised delivery date before missing proof of delivery is an exception. */
  readonly deliveryGraceSeconds: number;
  /** How many times an owner may extend a late shipment or delivery before the order goes on hold. */
  readonly maxExtensions: number;
}

export const defaultSla: SlaPolicy = {
  tenderResponseSeconds: 4 * 3600,
  plannerDecisionSeconds: 4 * 3600,
  shipGraceSeconds: 12 * 3600,
  deliveryGraceSeconds: 24 * 3600,
  maxExtensions: 3,
};

/** Seconds from `now` until `deadline`, never less than a minute (a wait of 0 would time out at once). */
export function secondsUntil(now: string, deadline: string): number {
  return Math.max(60, Math.ceil((Date.parse(deadline) - Date.parse(now)) / 1000));
}

export function shipConfirmationTimeout(summary: OrderSummary, now: string, sla: SlaPolicy = defaultSla): number {
  return secondsUntil(now, summary.requestedShipDate) + sla.shipGraceSeconds;
}

export function deliveryTimeout(summary: OrderSummary, now: string, sla: SlaPolicy = defaultSla): number {
  return secondsUntil(now, summary.promisedDeliveryDate) + sla.deliveryGraceSeconds;
}
