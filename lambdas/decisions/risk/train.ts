import { featureNames, RiskExampleBuilder, type RiskExample } from './features';
import { generateHistory, inTimeOrder } from './history';
import { fitPlatt, rawLogit, sigmoid, trainLogistic } from './logistic';
import { evaluateScores, bestF1Threshold, type ScoreReport } from './evaluation';
import { modelVersion, type DelayRiskArtifact } from './artifact';
import type { LogEntry } from '../../ports';
import { defaultDecisionPolicy } from '../policy';

/**
 * Trains the delay-risk model on simulated history and evaluates it on later, held-out history,
 * next to the baseline rule. Time split: the earliest decisions train, the next ones calibrate,
 * the latest test; the calibration window (longer than an order takes to deliver) sits between
 * training and test, so no test order's outcome was known when the training labels were.
 */

export interface TrainingRunOptions {
  readonly days: number;
  readonly ordersPerDay: number;
  readonly seed: number;
  /** @default 0.7 */
  readonly trainShare?: number;
  /** @default 0.1 (the rest is the test split) */
  readonly calibrationShare?: number;
  readonly l2?: number;
  readonly learningRate?: number;
  readonly iterations?: number;
  /** Progress of the long steps, for a reader watching a terminal. */
  readonly onProgress?: (message: string) => void;
}

export const baselineRule = 'late if the carrier was late last time on this lane';

export interface TrainingRun {
  readonly artifact: DelayRiskArtifact;
  readonly model: ScoreReport;
  /** The rule as a 0/1 score (AUC, precision, recall) with each outcome's training late rate as its probability (calibration). */
  readonly baseline: ScoreReport;
  /** The model at the decision policy's site risk limit, `alternateSite.auto.maxRisk` (site reallocation is automatic only below it). */
  readonly modelAtPolicy: ScoreReport;
  readonly timings: { readonly generateMs: number; readonly trainMs: number; readonly entries: number; readonly examples: number };
}

const lastLateIndex = featureNames.indexOf('carrier late last time on lane');

function split<T extends { context: { at: string } }>(examples: readonly T[], from: string, to: string) {
  return examples.filter((e) => e.context.at >= from && e.context.at < to);
}

const windowOf = (examples: readonly RiskExample[]) => ({ from: examples[0]?.context.at ?? '', to: examples[examples.length - 1]?.context.at ?? '' });

/** Examples from the generated history, streamed in business-time order. */
export function generateExamples(options: Pick<TrainingRunOptions, 'days' | 'ordersPerDay' | 'seed' | 'onProgress'>): { examples: RiskExample[]; entries: number } {
  const builder = new RiskExampleBuilder();
  let entries = 0;
  let day = '';
  const orders = generateHistory({ days: options.days, ordersPerDay: options.ordersPerDay, seed: options.seed });
  for (const entry of inTimeOrder(orders) as Iterable<LogEntry>) {
    builder.push(entry);
    entries++;
    if (options.onProgress && entry.at.slice(0, 10) !== day && entry.at.slice(8, 10) === '01') options.onProgress(`  history up to ${entry.at.slice(0, 10)}: ${entries.toLocaleString('en')} log entries`);
    day = entry.at.slice(0, 10);
  }
  return { examples: builder.examples(), entries };
}

export function runTraining(options: TrainingRunOptions): TrainingRun {
  const { trainShare = 0.7, calibrationShare = 0.1, l2 = 0.001, learningRate = 0.5, iterations = 400, onProgress } = options;
  const t0 = Date.now();
  onProgress?.(`Generating ${options.days} days of simulated history (${options.ordersPerDay} orders a weekday, seed ${options.seed})...`);
  const { examples, entries } = generateExamples(options);
  const generateMs = Date.now() - t0;
  if (examples.length < 100) throw new Error(`too little history to train on: ${examples.length} settled orders`);
  const start = Date.parse(examples[0]!.context.at.slice(0, 10));
  const dayAt = (share: number) => new Date(start + Math.round(options.days * share) * 86_400_000).toISOString();
  const trainEnd = dayAt(trainShare);
  const calibrationEnd = dayAt(trainShare + calibrationShare);
  const train = split(examples, '', trainEnd);
  const calibration = split(examples, trainEnd, calibrationEnd);
  const test = split(examples, calibrationEnd, '\uffff');
  if (!train.length || !calibration.length || !test.length) throw new Error(`a split is empty (train ${train.length}, calibration ${calibration.length}, test ${test.length}): simulate more days`);

  const t1 = Date.now();
  onProgress?.(`Training on ${train.length.toLocaleString('en')} orders (${featureNames.length} features, ${iterations} iterations)...`);
  const lr = trainLogistic(
    train.map((e) => e.features),
    train.map((e) => e.label),
    { l2, learningRate, iterations, onProgress: onProgress && ((it, loss) => it % 100 === 0 && onProgress(`  iteration ${it}: log loss ${loss.toFixed(4)}`)) },
  );
  onProgress?.(`Calibrating on ${calibration.length.toLocaleString('en')} later orders (Platt scaling)...`);
  const platt = fitPlatt(
    calibration.map((e) => rawLogit(lr, e.features)),
    calibration.map((e) => e.label),
  );
  const probability = (e: RiskExample) => sigmoid(platt.a * rawLogit(lr, e.features) + platt.b);
  const threshold = Math.round(bestF1Threshold(calibration.map(probability), calibration.map((e) => e.label)) * 1000) / 1000;
  const trainMs = Date.now() - t1;

  onProgress?.(`Evaluating on ${test.length.toLocaleString('en')} held-out orders...`);
  const labels = test.map((e) => e.label);
  const probabilities = test.map(probability);
  const model = evaluateScores(probabilities, labels, threshold);
  const modelAtPolicy = evaluateScores(probabilities, labels, defaultDecisionPolicy().alternateSite.auto.maxRisk);
  // The baseline's probability for calibration: how often training orders missed, given the rule's input.
  const lateRate = (lastLate: number) => {
    const group = train.filter((e) => e.features[lastLateIndex] === lastLate);
    return group.length ? group.reduce((s, e) => s + e.label, 0) / group.length : 0;
  };
  const ruleRates = [lateRate(0), lateRate(1)];
  const ruleScores = test.map((e) => e.features[lastLateIndex]!);
  const ruleAsRule = evaluateScores(ruleScores, labels, 1);
  const ruleCalibrated = evaluateScores(
    ruleScores.map((s) => ruleRates[s]!),
    labels,
    ruleRates[1]!,
  );
  const baseline: ScoreReport = { ...ruleCalibrated, auc: ruleAsRule.auc, threshold: 1, precision: ruleAsRule.precision, recall: ruleAsRule.recall, flagged: ruleAsRule.flagged };

  const round = (x: number, d = 6) => Math.round(x * 10 ** d) / 10 ** d;
  const artifact: DelayRiskArtifact = {
    version: modelVersion,
    kind: 'logistic-regression',
    label: 'missed commitment: shipped after the requested ship date, or delivered after the original promised date (a delay that moved the promise counts)',
    features: featureNames.map((name, j) => ({ name, mean: round(lr.standardisation.mean[j]!), std: round(lr.standardisation.std[j]!), coefficient: round(lr.coefficients[j]!) })),
    intercept: round(lr.intercept),
    calibration: { method: 'platt', a: round(platt.a), b: round(platt.b) },
    threshold: { value: threshold, reason: 'best F1 on the calibration split: the alert level that balances missed delays against false alarms' },
    training: {
      seed: options.seed,
      source: `simulated history (lambdas/decisions/risk/history.ts): ${options.days} days, ${options.ordersPerDay} orders a weekday`,
      window: windowOf(train),
      calibrationWindow: windowOf(calibration),
      testWindow: windowOf(test),
      orders: { train: train.length, calibration: calibration.length, test: test.length },
      hyperparameters: { l2, learningRate, iterations },
    },
    metrics: { model: roundReport(model), baseline: { ...roundReport(baseline), rule: baselineRule } },
  };
  return { artifact, model, baseline, modelAtPolicy, timings: { generateMs, trainMs, entries, examples: examples.length } };
}

function roundReport(r: ScoreReport): DelayRiskArtifact['metrics']['model'] {
  const f = (x: number) => Math.round(x * 10000) / 10000;
  return { ...r, auc: f(r.auc), precision: f(r.precision), recall: f(r.recall), brier: f(r.brier), ece: f(r.ece), calibration: r.calibration.map((b) => ({ count: b.count, predicted: f(b.predicted), observed: f(b.observed) })) };
}
