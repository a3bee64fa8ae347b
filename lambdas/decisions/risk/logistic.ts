/**
 * Logistic regression, in house and small enough to read: features standardised (so coefficients
 * compare), full-batch gradient descent with an L2 penalty, then Platt scaling fitted on a separate
 * calibration split so the probabilities the policy compares mean what they say.
 */

export interface Standardisation {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface LogisticModel {
  readonly standardisation: Standardisation;
  readonly intercept: number;
  /** One per feature, on the standardised scale: log-odds per standard deviation. */
  readonly coefficients: readonly number[];
}

/** p = sigmoid(a * rawLogit + b). */
export interface PlattCalibration {
  readonly a: number;
  readonly b: number;
}

export interface TrainOptions {
  /** L2 penalty on the coefficients (not the intercept). @default 0.001 */
  readonly l2?: number;
  /** @default 0.5 */
  readonly learningRate?: number;
  /** @default 400 */
  readonly iterations?: number;
  /** Called every 50 iterations with the training log loss. */
  readonly onProgress?: (iteration: number, loss: number) => void;
}

export const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

export function standardise(rows: readonly (readonly number[])[]): Standardisation {
  const k = rows[0]?.length ?? 0;
  const mean = new Array<number>(k).fill(0);
  const std = new Array<number>(k).fill(0);
  for (const r of rows) for (let j = 0; j < k; j++) mean[j]! += r[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < k; j++) std[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
  // A constant feature keeps std 1, so it contributes nothing rather than dividing by zero.
  return { mean, std: std.map((v) => (v > 1e-12 ? Math.sqrt(v) : 1)) };
}

export function applyStandardisation(s: Standardisation, x: readonly number[]): number[] {
  return x.map((v, j) => (v - s.mean[j]!) / s.std[j]!);
}

/** The model's log-odds before calibration. */
export function rawLogit(model: LogisticModel, x: readonly number[]): number {
  const z = applyStandardisation(model.standardisation, x);
  return z.reduce((sum, v, j) => sum + v * model.coefficients[j]!, model.intercept);
}

const logLoss = (p: number, y: number) => -(y * Math.log(Math.max(p, 1e-12)) + (1 - y) * Math.log(Math.max(1 - p, 1e-12)));

export function trainLogistic(rows: readonly (readonly number[])[], labels: readonly number[], options: TrainOptions = {}): LogisticModel {
  const { l2 = 0.001, learningRate = 0.5, iterations = 400 } = options;
  const standardisation = standardise(rows);
  const z = rows.map((r) => applyStandardisation(standardisation, r));
  const n = z.length;
  const k = standardisation.mean.length;
  const w = new Array<number>(k).fill(0);
  const positives = labels.reduce((a, b) => a + b, 0);
  // Start at the base rate, so early iterations learn the features rather than the prevalence.
  let b = Math.log((positives + 0.5) / (n - positives + 0.5));
  const grad = new Array<number>(k);
  for (let it = 1; it <= iterations; it++) {
    grad.fill(0);
    let gb = 0;
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const zi = z[i]!;
      let s = b;
      for (let j = 0; j < k; j++) s += w[j]! * zi[j]!;
      const p = sigmoid(s);
      const err = p - labels[i]!;
      gb += err;
      for (let j = 0; j < k; j++) grad[j]! += err * zi[j]!;
      if (options.onProgress && it % 50 === 0) loss += logLoss(p, labels[i]!);
    }
    b -= (learningRate * gb) / n;
    for (let j = 0; j < k; j++) w[j]! -= learningRate * (grad[j]! / n + l2 * w[j]!);
    if (options.onProgress && it % 50 === 0) options.onProgress(it, loss / n);
  }
  return { standardisation, intercept: b, coefficients: w };
}

/** Platt scaling by Newton's method on (raw logit, label) pairs; the identity when there is nothing to fit. */
export function fitPlatt(logits: readonly number[], labels: readonly number[]): PlattCalibration {
  let a = 1;
  let b = 0;
  for (let it = 0; it < 50; it++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    for (let i = 0; i < logits.length; i++) {
      const x = logits[i]!;
      const p = sigmoid(a * x + b);
      const err = p - labels[i]!;
      const v = p * (1 - p);
      ga += err * x;
      gb += err;
      haa += v * x * x;
      hab += v * x;
      hbb += v;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return Number.isFinite(a) && Number.isFinite(b) ? { a, b } : { a: 1, b: 0 };
}
