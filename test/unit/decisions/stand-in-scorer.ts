import type { DelayRiskScorer, RiskContext } from '../../../lambdas/decisions/types';

/**
 * TEST STAND-IN for the delay-risk model: a fixed base risk plus what a test says per carrier or
 * site. It stands in for lambdas/decisions/risk in tests of the decision step only, so each test
 * controls the score the policy compares.
 */
export function standInScorer(base: number, per: Record<string, number> = {}): DelayRiskScorer {
  return {
    version: 'stand-in-test-1',
    score(context: RiskContext) {
      const key = context.carrierId ?? context.siteId;
      const probability = per[key] ?? base;
      return { probability, modelVersion: 'stand-in-test-1', factors: [{ feature: `stand-in for ${key}`, contribution: probability }] };
    },
  };
}
