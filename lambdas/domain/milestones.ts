import { milestoneCodes, type MilestoneCode } from '../contracts';

export type MilestoneKind = 'ROUTINE' | 'DELAY' | 'FAILURE';

/**
 * Routine milestones are recorded and passed on to the customer without waking the workflow;
 * delays and failed deliveries wake it, because a decision is due.
 */
export function classifyMilestone(code: MilestoneCode, estimatedDeliveryAt: string | undefined, promisedDeliveryDate: string): MilestoneKind {
  if (code === 'A7' || code === 'A9' || code === 'CA' || code === 'AH') return 'FAILURE';
  if (code === 'SD') return 'DELAY';
  if (estimatedDeliveryAt && Date.parse(estimatedDeliveryAt) > Date.parse(promisedDeliveryDate)) return 'DELAY';
  return 'ROUTINE';
}

export function describeMilestone(code: MilestoneCode): string {
  return milestoneCodes[code];
}

/**
 * The new promise after a delay: the carrier's estimate when it gives one, else the old promise
 * pushed by one business day (planners' rule of thumb for an unexplained delay), never earlier
 * than the current promise.
 */
export function recomputePromise(currentPromise: string, estimatedDeliveryAt: string | undefined): string {
  const current = Date.parse(currentPromise);
  if (estimatedDeliveryAt) return new Date(Math.max(current, Date.parse(estimatedDeliveryAt))).toISOString();
  const next = new Date(current + 24 * 3600 * 1000);
  const day = next.getUTCDay();
  if (day === 6) next.setUTCDate(next.getUTCDate() + 2);
  if (day === 0) next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString();
}
