import { defaultDelayRiskScorer } from './risk/model';
import type { DelayRiskScorer } from './types';

/**
 * The scorer the decision step uses at run time: the trained delay-risk model shipped in models/
 * (lambdas/decisions/risk; retrain with `npm run evaluate`). Every audit record names its version.
 */
export function defaultDecisionScorer(): DelayRiskScorer {
  return defaultDelayRiskScorer();
}
