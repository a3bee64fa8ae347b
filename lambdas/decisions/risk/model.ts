import shippedArtifact from '../../../models/delay-risk-lr-1.json';
import type { DelayRiskScorer, RiskContext, RiskFactor } from '../types';
import { featureNames, featuresOf } from './features';
import { sigmoid } from './logistic';
import { delayRiskArtifact, IncompatibleRiskModel } from './artifact';

export { modelVersion } from './artifact';

/**
 * The delay-risk model as the decision step uses it: a versioned artifact (models/delay-risk-<version>.json,
 * written by `npm run evaluate`) read into a DelayRiskScorer. Pure: no AWS types, no file system
 * (the shipped artifact is bundled with the code that reads it).
 */

/** Reads an artifact (default: the one shipped in models/) into a scorer; refuses one whose features this code does not compute. */
export function loadDelayRiskModel(artifact: unknown = shippedArtifact): DelayRiskScorer {
  const parsed = delayRiskArtifact.safeParse(artifact);
  if (!parsed.success) throw new IncompatibleRiskModel(`delay-risk artifact is malformed: ${parsed.error.message}`, { cause: parsed.error });
  const model = parsed.data;
  const names = model.features.map((f) => f.name);
  if (names.length !== featureNames.length || names.some((n, i) => n !== featureNames[i])) {
    throw new IncompatibleRiskModel(`delay-risk artifact ${model.version} has features [${names.join(', ')}]; this code computes [${featureNames.join(', ')}]`);
  }
  const { a, b } = model.calibration;
  return {
    version: model.version,
    score(context: RiskContext) {
      const x = featuresOf(context);
      // Each feature's share of the calibrated log-odds, measured from the training average.
      const contributions = model.features.map((f, j) => a * f.coefficient * ((x[j]! - f.mean) / f.std));
      const logit = a * model.intercept + b + contributions.reduce((s, c) => s + c, 0);
      const factors: RiskFactor[] = model.features.map((f, j) => ({ feature: f.name, contribution: Math.round(contributions[j]! * 1000) / 1000 }));
      return {
        probability: Math.round(sigmoid(logit) * 1000) / 1000,
        modelVersion: model.version,
        factors: factors.filter((f) => f.contribution !== 0).sort((p, q) => Math.abs(q.contribution) - Math.abs(p.contribution)),
      };
    },
  };
}

let shipped: DelayRiskScorer | undefined;

/** The trained model shipped with the code (read once). */
export function defaultDelayRiskScorer(): DelayRiskScorer {
  return (shipped ??= loadDelayRiskModel());
}
