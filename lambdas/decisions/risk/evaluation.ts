/**
 * How good a risk score is on held-out orders: ranking (ROC AUC), the alert it would raise at an
 * operating threshold (precision, recall), and whether its probabilities can be taken at face value
 * (calibration by deciles, Brier score, expected calibration error).
 */

export interface CalibrationBin {
  /** Orders in the bin. */
  readonly count: number;
  /** Mean predicted probability. */
  readonly predicted: number;
  /** Share that actually missed a commitment. */
  readonly observed: number;
}

export interface ScoreReport {
  readonly count: number;
  readonly positives: number;
  readonly auc: number;
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  /** Orders at or above the threshold (the alert volume). */
  readonly flagged: number;
  readonly brier: number;
  /** Expected calibration error over the decile bins (weighted mean |observed - predicted|). */
  readonly ece: number;
  readonly calibration: readonly CalibrationBin[];
}

/** ROC AUC by ranks (Mann-Whitney), ties counted half: right for a binary rule too. */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = rank;
    i = j + 1;
  }
  let pos = 0;
  let sumPosRanks = 0;
  labels.forEach((y, i) => {
    if (y) {
      pos++;
      sumPosRanks += ranks[i]!;
    }
  });
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (sumPosRanks - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function precisionRecall(scores: readonly number[], labels: readonly number[], threshold: number) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  scores.forEach((s, i) => {
    const flagged = s >= threshold;
    if (flagged && labels[i]) tp++;
    else if (flagged) fp++;
    else if (labels[i]) fn++;
  });
  return { precision: tp + fp ? tp / (tp + fp) : 0, recall: tp + fn ? tp / (tp + fn) : 0, flagged: tp + fp };
}

/** The threshold with the best F1 (the alert that balances missed delays against false alarms). */
export function bestF1Threshold(scores: readonly number[], labels: readonly number[]): number {
  const candidates = [...new Set(scores.map((s) => Math.round(s * 1000) / 1000))].sort((a, b) => a - b);
  let best = { threshold: 0.5, f1: -1 };
  for (const threshold of candidates) {
    const { precision, recall } = precisionRecall(scores, labels, threshold);
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { threshold, f1 };
  }
  return best.threshold;
}

/** Deciles of the predicted probability (equal counts; equal scores stay in one bin, so a rule has few bins). */
export function calibrationBins(probabilities: readonly number[], labels: readonly number[], bins = 10): CalibrationBin[] {
  const order = probabilities.map((p, i) => i).sort((a, b) => probabilities[a]! - probabilities[b]!);
  const out: CalibrationBin[] = [];
  let i = 0;
  for (let b = 0; b < bins && i < order.length; b++) {
    let end = Math.round(((b + 1) * order.length) / bins);
    while (end < order.length && end > 0 && probabilities[order[end]!] === probabilities[order[end - 1]!]) end++;
    if (end <= i) continue;
    let p = 0;
    let y = 0;
    for (let k = i; k < end; k++) {
      p += probabilities[order[k]!]!;
      y += labels[order[k]!]!;
    }
    out.push({ count: end - i, predicted: p / (end - i), observed: y / (end - i) });
    i = end;
  }
  return out;
}

export function evaluateScores(probabilities: readonly number[], labels: readonly number[], threshold: number): ScoreReport {
  const n = labels.length;
  const calibration = calibrationBins(probabilities, labels);
  const brier = probabilities.reduce((s, p, i) => s + (p - labels[i]!) ** 2, 0) / n;
  const ece = calibration.reduce((s, b) => s + (b.count / n) * Math.abs(b.observed - b.predicted), 0);
  return {
    count: n,
    positives: labels.reduce((a, b) => a + b, 0),
    auc: rocAuc(probabilities, labels),
    threshold,
    ...precisionRecall(probabilities, labels, threshold),
    brier,
    ece,
    calibration,
  };
}
