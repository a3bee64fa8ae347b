import type { ExceptionRoute } from '../domain/exceptions';
import type { ExceptionCategory, OwnerTeam, Severity } from '../domain/order';
import type { LaneStats } from './types';

/**
 * Exception triage: the rule-based route (lambdas/domain/exceptions.ts: category, owner, severity,
 * SLA) refined by context: the carrier's record on the lane, a recurring pattern (an incident), the
 * order's delay risk and the decision step's recommendation; and a suggested next action for the
 * owner, in words.
 */
export interface TriageContext {
  readonly category: ExceptionCategory;
  readonly route: ExceptionRoute;
  readonly siteId: string;
  readonly carrierId?: string;
  readonly lane?: string;
  /** The carrier's counters on the lane. */
  readonly carrierLane?: LaneStats;
  /** Exceptions of the same pattern in the incident window so far, this one included (0: no pattern). */
  readonly patternCount: number;
  /** Delay-risk probability of the order (from the recommendation, when there is one). */
  readonly riskScore?: number | null;
  readonly recommendation?: { readonly kind: 'CARRIER' | 'SITE'; readonly choice: string | null };
}

export interface Triage {
  readonly severity: Severity;
  readonly ownerTeam: OwnerTeam;
  readonly nextAction: string;
  /** Why the severity differs from the category's, if it does. */
  readonly raisedBecause: readonly string[];
}

const higher: Record<Severity, Severity> = { LOW: 'MEDIUM', MEDIUM: 'HIGH', HIGH: 'CRITICAL', CRITICAL: 'CRITICAL' };

/** A pattern this often in one window raises the severity one level. */
export const recurringSeverityThreshold = 5;
/** A delay risk this high raises the severity one level. */
export const highRisk = 0.5;

export function triage(ctx: TriageContext): Triage {
  const raisedBecause: string[] = [];
  if (ctx.patternCount >= recurringSeverityThreshold) raisedBecause.push(`recurring: ${ctx.patternCount} of the same pattern in the window`);
  if (ctx.riskScore != null && ctx.riskScore >= highRisk) raisedBecause.push(`delay risk ${(ctx.riskScore * 100).toFixed(0)}%`);
  const severity = raisedBecause.length ? higher[ctx.route.severity] : ctx.route.severity;
  return { severity, ownerTeam: ctx.route.ownerTeam, nextAction: nextAction(ctx), raisedBecause };
}

function nextAction(ctx: TriageContext): string {
  const rec = ctx.recommendation?.choice ? ctx.recommendation : undefined;
  const s = ctx.carrierLane;
  const record = s && s.tenders ? ` (${s.accepted} of ${s.tenders} tenders accepted on ${ctx.lane})` : '';
  switch (ctx.category) {
    case 'CARRIER_CAPACITY':
      if (ctx.patternCount >= recurringSeverityThreshold && ctx.carrierId) return `Carrier ${ctx.carrierId} keeps failing on ${ctx.lane}${record}: move its volume to another carrier on the lane and call the carrier's account manager`;
      if (rec) return `Approve carrier ${rec.choice} (recommended), book another, expedite or cancel`;
      return `Book an alternate carrier for ${ctx.lane ?? 'the lane'} or expedite${record}`;
    case 'STOCK_SHORT':
      if (ctx.patternCount >= recurringSeverityThreshold) return `Site ${ctx.siteId} is short again and again: check its replenishment and cycle counts`;
      if (rec) return `Approve shipping from ${rec.choice} (recommended) or cancel`;
      return `Expedite replenishment at ${ctx.siteId} or cancel the order`;
    case 'SHIPMENT_LATE':
      return ctx.patternCount >= recurringSeverityThreshold ? `Site ${ctx.siteId} is shipping late repeatedly: check dock capacity and the pick backlog` : `Ask ${ctx.siteId} for a new ship time, then extend the wait or cancel`;
    case 'DELIVERY_DELAY':
    case 'DELIVERY_FAILED':
      return ctx.patternCount >= recurringSeverityThreshold && ctx.carrierId
        ? `Carrier ${ctx.carrierId} delays repeatedly on ${ctx.lane}: raise it with the carrier and review its lane allocation`
        : `Tell the customer the new delivery date and follow up with ${ctx.carrierId ?? 'the carrier'}`;
    case 'DATA_QUALITY':
      return 'Correct the order in the ERP and retry, or cancel it';
    case 'SYSTEM_FAILURE':
      return 'Check the partner system, then retry the failed step';
    case 'CANCELLATION_TOO_LATE':
      return 'Arrange a return with the customer if they still want one';
    case 'APPROVAL_OVERDUE':
      return 'Decide the overdue approval or reassign it';
  }
}
