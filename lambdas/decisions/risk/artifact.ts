import { z } from 'zod';

/**
 * The delay-risk model's artifact (models/delay-risk-<version>.json): what `npm run evaluate`
 * writes and the scorer reads. Everything a reviewer needs is in it: features with their
 * standardisation and coefficients, the calibration, the training window and seed, and the
 * held-out metrics next to the baseline rule's.
 */

/** The version the code writes and expects; bump it when the features or the label change. */
export const modelVersion = 'delay-risk-lr-1';

const scoreReport = z.object({
  count: z.number(),
  positives: z.number(),
  auc: z.number(),
  threshold: z.number(),
  precision: z.number(),
  recall: z.number(),
  flagged: z.number(),
  brier: z.number(),
  ece: z.number(),
  calibration: z.array(z.object({ count: z.number(), predicted: z.number(), observed: z.number() })),
});

export const delayRiskArtifact = z.object({
  version: z.string().min(1),
  kind: z.literal('logistic-regression'),
  label: z.string(),
  /** In the order featuresOf computes them; mean and std standardise, coefficient is per std. */
  features: z.array(z.object({ name: z.string(), mean: z.number(), std: z.number().positive(), coefficient: z.number() })),
  intercept: z.number(),
  calibration: z.object({ method: z.literal('platt'), a: z.number(), b: z.number() }),
  /** The operating threshold an alert would use, and why that one. */
  threshold: z.object({ value: z.number(), reason: z.string() }),
  training: z.object({
    seed: z.number().int(),
    source: z.string(),
    /** Business time of the first and last decision in each split. */
    window: z.object({ from: z.string(), to: z.string() }),
    calibrationWindow: z.object({ from: z.string(), to: z.string() }),
    testWindow: z.object({ from: z.string(), to: z.string() }),
    orders: z.object({ train: z.number().int(), calibration: z.number().int(), test: z.number().int() }),
    hyperparameters: z.object({ l2: z.number(), learningRate: z.number(), iterations: z.number().int() }),
  }),
  metrics: z.object({ model: scoreReport, baseline: scoreReport.extend({ rule: z.string() }) }),
});
export type DelayRiskArtifact = z.output<typeof delayRiskArtifact>;

export class IncompatibleRiskModel extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IncompatibleRiskModel';
  }
}

