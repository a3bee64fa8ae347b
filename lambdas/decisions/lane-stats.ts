import type { WorkflowStore } from '../ports/store';

/**
 * Keeps each carrier's running counters on a lane (the input of carrier recommendations): a tender
 * answered (accepted, rejected or left unanswered past its SLA) and a delivery ended (on time or
 * late, counted as the delay-risk model's training counts it). Each fact counts once: the store writes a marker per (order, fact) before counting, so a
 * redelivered event, a retried task or a late answer to a timed-out tender is not counted twice.
 */

export async function countTenderAnswer(
  deps: { store: WorkflowStore },
  fact: { orderId: string; lane: string; carrierId: string; tenderId: string; accepted: boolean; at: string },
): Promise<boolean> {
  return deps.store.addLaneStats(fact.lane, fact.carrierId, { tenders: 1, accepted: fact.accepted ? 1 : 0 }, { orderId: fact.orderId, factKey: `tender:${fact.tenderId}`, at: fact.at });
}

export async function countDelivery(
  deps: { store: WorkflowStore },
  fact: { orderId: string; lane: string; carrierId: string; deliveredAt: string; promisedDeliveryDate: string; promiseMoved?: boolean },
): Promise<boolean> {
  // Late as the delay-risk model learns it (lambdas/decisions/risk/features.ts): after the promise,
  // or after a delay that moved the promise (the customer was told "late" even if the new date holds).
  const late = fact.promiseMoved === true || Date.parse(fact.deliveredAt) > Date.parse(fact.promisedDeliveryDate);
  return deps.store.addLaneStats(fact.lane, fact.carrierId, { shipments: 1, late: late ? 1 : 0, lastLate: late }, { orderId: fact.orderId, factKey: 'delivery', at: fact.deliveredAt });
}
