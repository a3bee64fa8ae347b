import { defaultDelayRiskScorer } from './risk/model';
import type { DelayRiskScorer, RiskContext, RiskFactor } from './types';

/**
 * The scorer the decision step uses at run time: the trained delay-risk model shipped in models/
 * (lambdas/decisions/risk; retrain with `npm run evaluate`). Every audit record names its version.
 */
export function defaultDecisionScorer(): DelayRiskScorer {
  return defaultDelayRiskScorer();
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * The rule of thumb the decision step used before the model landed (same contract, version
 * `interim-rule-1`); kept for comparison and for tests that want a scorer independent of training.
 */
export const interimRuleScorer: DelayRiskScorer = {
  version: 'interim-rule-1',
  score(context: RiskContext) {
    const lane = context.carrierLane;
    // Smoothed towards a 10% late rate, so a carrier new to the lane is neither trusted nor condemned.
    const lateRate = ((lane?.late ?? 0) + 0.2) / ((lane?.shipments ?? 0) + 2);
    const hoursToShip = (Date.parse(context.requestedShipDate) - Date.parse(context.at)) / 3_600_000;
    const factors: RiskFactor[] = [
      { feature: 'carrier late rate on lane', contribution: 4 * (lateRate - 0.1) },
      { feature: 'site queue', contribution: 0.02 * (context.siteQueueLength - 20) },
      { feature: 'hours to ship date', contribution: hoursToShip < 12 ? 1 : hoursToShip < 24 ? 0.3 : -0.3 },
      { feature: 'customer priority', contribution: context.customerPriority === 'EXPRESS' ? 0.5 : 0 },
      { feature: 'stock available', contribution: context.stockAvailable ? 0 : 1.5 },
    ];
    const logit = -2 + factors.reduce((n, f) => n + f.contribution, 0);
    return { probability: Math.round(sigmoid(logit) * 1000) / 1000, modelVersion: 'interim-rule-1', factors: factors.filter((f) => f.contribution !== 0).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution)) };
  },
};
