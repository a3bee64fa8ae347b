import shipped from '../../../models/delay-risk-lr-1.json';
import { featureNames } from '../../../lambdas/decisions/risk/features';
import { defaultDelayRiskScorer, loadDelayRiskModel, modelVersion } from '../../../lambdas/decisions/risk/model';
import { runTraining } from '../../../lambdas/decisions/risk/train';
import { defaultDecisionScorer } from '../../../lambdas/decisions/scorer';
import type { RiskContext } from '../../../lambdas/decisions/types';

const context: RiskContext = {
  at: '2026-11-24T10:00:00Z',
  customerPriority: 'STANDARD',
  requestedShipDate: '2026-11-25T10:00:00Z',
  promisedDeliveryDate: '2026-11-28T10:00:00Z',
  siteId: 'DC-HAM',
  siteQueueLength: 20,
  stockAvailable: true,
  carrierId: 'DHLF',
  lane: 'DC-HAM>DE',
  carrierLane: { tenders: 30, accepted: 25, shipments: 25, late: 2, lastLate: false },
};

describe('training the delay-risk model on simulated history', () => {
  // Ten weeks, 120 orders a weekday: about 7,000 settled orders, 1,400 of them held out (a second or two).
  const run = runTraining({ days: 70, ordersPerDay: 120, seed: 7 });

  it('ranks held-out orders better than the "late last time" rule, and better than chance by a margin', () => {
    expect(run.model.count).toBeGreaterThan(1000);
    expect(run.model.auc).toBeGreaterThan(0.6);
    expect(run.model.auc).toBeGreaterThan(run.baseline.auc + 0.05);
  });

  it('gives probabilities that match what happened on held-out orders', () => {
    expect(run.model.ece).toBeLessThan(0.05);
    expect(run.model.brier).toBeLessThan(run.baseline.brier);
    // The riskiest decile misses far more often than the safest.
    const bins = run.model.calibration;
    expect(bins[bins.length - 1]!.observed).toBeGreaterThan(2 * bins[0]!.observed);
  });

  it('reports precision and recall at an operating threshold chosen on the calibration split', () => {
    expect(run.artifact.threshold.value).toBeGreaterThan(0);
    expect(run.artifact.threshold.value).toBeLessThan(1);
    expect(run.model.recall).toBeGreaterThan(run.baseline.recall);
    expect(run.model.precision).toBeGreaterThan(run.model.positives / run.model.count);
  });

  it('writes an artifact that loads and scores like the model it came from', () => {
    expect(run.artifact.features.map((f) => f.name)).toEqual([...featureNames]);
    expect(run.artifact.training.window.to < run.artifact.training.testWindow.from).toBe(true);
    const scorer = loadDelayRiskModel(JSON.parse(JSON.stringify(run.artifact)));
    expect(scorer.version).toBe(modelVersion);
    const risk = scorer.score(context);
    expect(risk.probability).toBeGreaterThan(0);
    expect(risk.probability).toBeLessThan(1);
  });
});

describe('the shipped delay-risk model', () => {
  it('is the one the decision step uses, and matches the features this code computes', () => {
    expect(defaultDecisionScorer().version).toBe(modelVersion);
    expect(shipped.version).toBe(modelVersion);
    expect(shipped.features.map((f) => f.name)).toEqual([...featureNames]);
    expect(shipped.metrics.model.auc).toBeGreaterThan(shipped.metrics.baseline.auc);
  });

  it('explains a score with its factors, largest first', () => {
    const risk = defaultDelayRiskScorer().score({ ...context, siteQueueLength: 48, at: '2026-11-27T16:30:00Z' });
    expect(risk.modelVersion).toBe(modelVersion);
    expect(risk.factors.length).toBeGreaterThan(3);
    const sizes = risk.factors.map((f) => Math.abs(f.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(risk.factors.every((f) => (featureNames as readonly string[]).includes(f.feature))).toBe(true);
  });

  it('scores a carrier often late on the lane as riskier than one that is rarely late', () => {
    const scorer = defaultDelayRiskScorer();
    const reliable = scorer.score(context);
    const struggling = scorer.score({ ...context, carrierLane: { tenders: 30, accepted: 25, shipments: 25, late: 9, lastLate: true } });
    expect(struggling.probability).toBeGreaterThan(reliable.probability);
  });

  it('refuses an artifact whose features this code does not compute', () => {
    const renamed = { ...shipped, features: shipped.features.map((f, i) => (i === 0 ? { ...f, name: 'site backlog' } : f)) };
    expect(() => loadDelayRiskModel(renamed)).toThrow(/features/);
    expect(() => loadDelayRiskModel({ version: 'x' })).toThrow(/malformed/);
  });
});
