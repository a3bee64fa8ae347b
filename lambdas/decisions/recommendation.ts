import type { OwnerTeam } from '../domain/order';
import { judgeCarrierChange, judgeSiteChange, type DecisionPolicy } from './policy';
import type { RankedCarrier, RankedSite } from './recommend';

/**
 * A recommendation and who acts on it: what the decision step records in the event log (the audit
 * trail), returns to the state machine and, when a person decides, sends with the approval request.
 */
export interface Recommendation {
  /** Deterministic per order and workflow step: a retried step records the same recommendation once. */
  readonly recommendationId: string;
  readonly kind: 'CARRIER' | 'SITE';
  /**
   * AUTO: the workflow applies it. APPROVAL: a person decides (the policy's approver).
   * NONE: there is no alternate to recommend; the workflow goes on as without a recommendation.
   */
  readonly action: 'AUTO' | 'APPROVAL' | 'NONE';
  /** The recommended carrier or site (absent when action is NONE). */
  readonly choice: string | null;
  readonly approver: OwnerTeam;
  /** Delay-risk probability of the order if it goes the recommended way. */
  readonly riskScore: number | null;
  readonly modelVersion: string;
  readonly policyVersion: string;
  /** Why the recommended option ranks first, with the numbers. */
  readonly reasons: readonly string[];
  /** The policy's checks and their results. */
  readonly checks: readonly string[];
  /** The runners-up, one line each. */
  readonly alternatives: readonly string[];
}

const line = (o: { choice: string; score: number; risk: { probability: number } }) => `${o.choice} (score ${o.score.toFixed(2)}, risk ${(o.risk.probability * 100).toFixed(1)}%)`;

/**
 * The carrier recommendation after a rejected or unanswered tender. `exhausted` is true when
 * automatic tendering has used its tenders: a person then decides whatever the policy says.
 */
export function recommendCarrier(input: {
  recommendationId: string;
  ranked: readonly RankedCarrier[];
  policy: DecisionPolicy;
  modelVersion: string;
  exhausted?: { tendered: number; maxTenders: number };
}): Recommendation {
  const { ranked, policy } = input;
  const best = ranked[0];
  const base = { recommendationId: input.recommendationId, kind: 'CARRIER' as const, modelVersion: input.modelVersion, policyVersion: policy.version };
  if (!best) return { ...base, action: 'NONE', choice: null, approver: policy.alternateCarrier.approver, riskScore: null, reasons: ['no carrier on the lane is left to tender'], checks: [], alternatives: [] };
  const reference = ranked.reduce((a, b) => (b.rank < a.rank ? b : a));
  const verdict = judgeCarrierChange(policy, { costIncreasePct: best.costIncreasePct, risk: best.risk.probability, referenceRisk: reference.risk.probability });
  const checks = input.exhausted ? [`automatic tendering exhausted (${input.exhausted.tendered} of ${input.exhausted.maxTenders} tenders)`, ...verdict.checks] : verdict.checks;
  return {
    ...base,
    action: input.exhausted ? 'APPROVAL' : verdict.action,
    choice: best.choice,
    approver: verdict.approver,
    riskScore: best.risk.probability,
    reasons: best.reasons,
    checks,
    alternatives: ranked.slice(1, 4).map(line),
  };
}

/** The site recommendation when the assigned site is short of stock. */
export function recommendSite(input: { recommendationId: string; ranked: readonly RankedSite[]; policy: DecisionPolicy; modelVersion: string }): Recommendation {
  const { ranked, policy } = input;
  const best = ranked[0];
  const base = { recommendationId: input.recommendationId, kind: 'SITE' as const, modelVersion: input.modelVersion, policyVersion: policy.version };
  if (!best) return { ...base, action: 'NONE', choice: null, approver: policy.alternateSite.approver, riskScore: null, reasons: ['no other site can ship the order in full'], checks: [], alternatives: [] };
  const verdict = judgeSiteChange(policy, { extraDistanceKm: best.extraDistanceKm, risk: best.risk.probability });
  return {
    ...base,
    action: verdict.action,
    choice: best.choice,
    approver: verdict.approver,
    riskScore: best.risk.probability,
    reasons: best.reasons,
    checks: verdict.checks,
    alternatives: ranked.slice(1, 4).map(line),
  };
}

/** One paragraph for a planner: what is recommended, why, and why a person is asked. */
export function describeRecommendation(r: Recommendation): string {
  if (r.action === 'NONE' || !r.choice) return `No alternate ${r.kind === 'CARRIER' ? 'carrier' : 'site'} to recommend: ${r.reasons.join('; ')}.`;
  const what = r.kind === 'CARRIER' ? `Recommended carrier ${r.choice}` : `Recommended site ${r.choice}`;
  const why = r.action === 'APPROVAL' ? ` Needs your approval (policy ${r.policyVersion}): ${r.checks.join('; ')}.` : ` Applied automatically (policy ${r.policyVersion}).`;
  return `${what}: ${r.reasons.join('; ')}.${why}${r.alternatives.length ? ` Alternatives: ${r.alternatives.join(', ')}.` : ''}`;
}
