import type { LogEntry } from '../ports/store';

/**
 * The audit trail of recommendations, read back from an order's event log: what was recommended
 * (with its model and policy versions and score), who acted (the workflow within policy, or the
 * person who approved or overrode it), and how the order turned out. Every fact is recorded once,
 * where it happens (the decision step, the exception, the person's answer, the delivery); this joins
 * them by recommendation id and exception id.
 */

/** How the audit trail names what happened to a recommendation when it was made, by the policy's action. */
export const auditAction = { AUTO: 'AUTO_APPLIED', APPROVAL: 'SENT_FOR_APPROVAL', NONE: 'NO_ALTERNATE' } as const;
export type AuditAction = (typeof auditAction)[keyof typeof auditAction];

export type RecommendationVerdict = 'AUTO_APPLIED' | 'APPROVED' | 'OVERRIDDEN' | 'UNANSWERED' | 'NO_ALTERNATE';
export type RecommendationOutcome = 'ON_TIME' | 'LATE' | 'NOT_DELIVERED' | 'OPEN';

export interface RecommendationAudit {
  readonly orderId: string;
  readonly recommendationId: string;
  readonly kind: 'CARRIER' | 'SITE';
  readonly at: string;
  readonly action: AuditAction;
  readonly choice: string | null;
  readonly riskScore: number | null;
  readonly modelVersion: string;
  readonly policyVersion: string;
  readonly verdict: RecommendationVerdict;
  /** The person who answered (SENT_FOR_APPROVAL only). */
  readonly decidedBy?: { type: string; id: string; role?: string };
  /** What the person chose (decision and carrier or site). */
  readonly answer?: { decision: string; choice?: string };
  /** Did the order then deliver by its promised date? */
  readonly outcome: RecommendationOutcome;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function recommendationAudit(history: readonly LogEntry[]): RecommendationAudit[] {
  const stageAt = (stage: string) => history.find((e) => e.type === 'STAGE_CHANGED' && e.stage === stage)?.at;
  const ended = history.some((e) => e.type === 'STAGE_CHANGED' && (e.stage === 'CANCELLED' || e.stage === 'ON_HOLD'));
  return history
    .filter((e) => e.type === 'DECISION' && e.details?.decision === 'RECOMMENDATION')
    .map((e) => {
      const d = e.details!;
      const recommendationId = String(d.recommendationId);
      const inputs = (d.inputs ?? {}) as Record<string, unknown>;
      const action = d.action as RecommendationAudit['action'];
      const choice = (d.choice as string | null) ?? null;
      const exceptionId = str(history.find((x) => x.type === 'EXCEPTION_RAISED' && x.details?.recommendationId === recommendationId)?.details?.exceptionId);
      const reply = exceptionId
        ? history.find((x) => (x.type === 'APPROVAL_DECIDED' || x.type === 'EXCEPTION_RESOLVED') && (x.details?.approvalId === exceptionId || x.details?.exceptionId === exceptionId))
        : undefined;
      const answer = reply ? { decision: String(reply.details?.decision ?? reply.details?.resolution), choice: str(reply.details?.carrierId) ?? str(reply.details?.siteId) } : undefined;
      const verdict: RecommendationVerdict =
        action === 'AUTO_APPLIED' ? 'AUTO_APPLIED'
        : action === 'NO_ALTERNATE' ? 'NO_ALTERNATE'
        : !answer ? 'UNANSWERED'
        : answer.decision.startsWith('APPROVE_ALTERNATE') && answer.choice === choice ? 'APPROVED'
        : 'OVERRIDDEN';
      const delivered = stageAt('DELIVERED');
      const promised = str(inputs.promisedDeliveryDate);
      const outcome: RecommendationOutcome = delivered && promised ? (Date.parse(delivered) <= Date.parse(promised) ? 'ON_TIME' : 'LATE') : ended ? 'NOT_DELIVERED' : 'OPEN';
      return {
        orderId: e.orderId,
        recommendationId,
        kind: d.kind as 'CARRIER' | 'SITE',
        at: e.at,
        action,
        choice,
        riskScore: (d.riskScore as number | null) ?? null,
        modelVersion: String(d.modelVersion),
        policyVersion: String(d.policyVersion),
        verdict,
        ...(reply ? { decidedBy: reply.actor, answer } : {}),
        outcome,
      };
    });
}

export interface RecommendationStats {
  readonly total: number;
  readonly byVerdict: Record<RecommendationVerdict, number>;
  /** Auto-applied and sent for approval, per kind (carrier after a failed tender, site after a stock shortage). */
  readonly byKind: Record<'CARRIER' | 'SITE', { readonly autoApplied: number; readonly sentForApproval: number }>;
  /** On-time delivery rate of orders whose recommendation was taken (auto or approved) vs not (overridden). */
  readonly onTime: { taken: { delivered: number; onTime: number }; notTaken: { delivered: number; onTime: number } };
}

export function recommendationStats(audits: readonly RecommendationAudit[]): RecommendationStats {
  return addRecommendations(emptyRecommendationStats(), audits);
}

export function emptyRecommendationStats(): RecommendationStats {
  return {
    total: 0,
    byVerdict: { AUTO_APPLIED: 0, APPROVED: 0, OVERRIDDEN: 0, UNANSWERED: 0, NO_ALTERNATE: 0 },
    byKind: { CARRIER: { autoApplied: 0, sentForApproval: 0 }, SITE: { autoApplied: 0, sentForApproval: 0 } },
    onTime: { taken: { delivered: 0, onTime: 0 }, notTaken: { delivered: 0, onTime: 0 } } };
}

/** Adds audits to running stats (an accumulator keeps counts, never the audits). */
export function addRecommendations(stats: RecommendationStats, audits: readonly RecommendationAudit[]): RecommendationStats {
  const byVerdict = { ...stats.byVerdict };
  const byKind = { CARRIER: { ...stats.byKind.CARRIER }, SITE: { ...stats.byKind.SITE } };
  const taken = { ...stats.onTime.taken };
  const notTaken = { ...stats.onTime.notTaken };
  for (const a of audits) {
    byVerdict[a.verdict]++;
    if (a.action === 'AUTO_APPLIED') byKind[a.kind].autoApplied++;
    else if (a.action === 'SENT_FOR_APPROVAL') byKind[a.kind].sentForApproval++;
    const bucket = a.verdict === 'AUTO_APPLIED' || a.verdict === 'APPROVED' ? taken : a.verdict === 'OVERRIDDEN' ? notTaken : undefined;
    if (!bucket || (a.outcome !== 'ON_TIME' && a.outcome !== 'LATE')) continue;
    bucket.delivered++;
    if (a.outcome === 'ON_TIME') bucket.onTime++;
  }
  return { total: stats.total + audits.length, byVerdict, byKind, onTime: { taken, notTaken } };
}
