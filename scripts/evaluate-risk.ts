/**
 * `npm run evaluate`: trains the delay-risk model on simulated history, evaluates it on later,
 * held-out history next to the baseline rule, writes the versioned artifact and prints a report.
 *
 *   npm run evaluate                                  # writes models/<version>.json (models/delay-risk-lr-1.json)
 *   npm run evaluate -- --out /tmp/model.json         # leaves the shipped artifact alone
 *   npm run evaluate -- --no-write --report-json r.json
 *   npm run evaluate -- --days 140 --orders-per-day 250 --seed 42
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { featureNames } from '../lambdas/decisions/risk/features';
import type { ScoreReport } from '../lambdas/decisions/risk/evaluation';
import { baselineRule, runTraining } from '../lambdas/decisions/risk/train';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const days = Number(option('--days') ?? 140);
const ordersPerDay = Number(option('--orders-per-day') ?? 250);
const seed = Number(option('--seed') ?? 42);
if (![days, ordersPerDay, seed].every(Number.isFinite)) {
  console.error('usage: npm run evaluate -- [--days N] [--orders-per-day N] [--seed N] [--out FILE | --no-write] [--report-json FILE]');
  process.exit(2);
}

const started = Date.now();
const run = runTraining({ days, ordersPerDay, seed, onProgress: (m) => console.log(m) });
const { artifact, model, baseline, modelAtPolicy, timings } = run;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);
const line = (label: string, r: ScoreReport, threshold: string) =>
  `  ${label.padEnd(34)} AUC ${f3(r.auc)}   precision ${pct(r.precision).padStart(6)}   recall ${pct(r.recall).padStart(6)}   flagged ${String(r.flagged).padStart(5)}   Brier ${r.brier.toFixed(4)}   ECE ${r.ece.toFixed(4)}   (${threshold})`;

const out: string[] = [];
out.push('');
out.push(`Delay-risk model ${artifact.version}: held-out evaluation`);
out.push(`  label: ${artifact.label}`);
out.push(`  train ${artifact.training.orders.train.toLocaleString('en')} orders (${artifact.training.window.from.slice(0, 10)} to ${artifact.training.window.to.slice(0, 10)}), calibrate ${artifact.training.orders.calibration.toLocaleString('en')} (${artifact.training.calibrationWindow.from.slice(0, 10)} to ${artifact.training.calibrationWindow.to.slice(0, 10)}), test ${artifact.training.orders.test.toLocaleString('en')} (${artifact.training.testWindow.from.slice(0, 10)} to ${artifact.training.testWindow.to.slice(0, 10)})`);
out.push(`  missed a commitment in the test window: ${model.positives} of ${model.count} (${pct(model.positives / model.count)})`);
out.push('');
out.push(`Operating threshold ${artifact.threshold.value}: ${artifact.threshold.reason}.`);
out.push(line('model', model, `risk >= ${artifact.threshold.value}`));
out.push(line('model at the policy threshold', modelAtPolicy, 'risk >= 0.5'));
out.push(line(`baseline: ${baselineRule.replace('late if the carrier was late last time on this lane', 'carrier late last time')}`, baseline, 'flag when it was'));
out.push(`  (baseline rule: "${baselineRule}"; its Brier and ECE use the training late rate of each outcome of the rule as its probability)`);
out.push('');
out.push('Calibration by deciles of predicted risk (held-out orders):');
out.push('  model                                  baseline');
out.push('  orders  predicted  observed            orders  predicted  observed');
for (let i = 0; i < Math.max(model.calibration.length, baseline.calibration.length); i++) {
  const m = model.calibration[i];
  const b = baseline.calibration[i];
  const cell = (x: typeof m) => (x ? `${String(x.count).padStart(6)}  ${pct(x.predicted).padStart(9)}  ${pct(x.observed).padStart(8)}` : ' '.repeat(27));
  out.push(`  ${cell(m)}            ${cell(b)}`);
}
out.push('');
out.push('Coefficients (log-odds per standard deviation of the feature; before calibration, which multiplies them by ' + f3(artifact.calibration.a) + '):');
const byWeight = [...artifact.features].sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
for (const f of byWeight) out.push(`  ${f.name.padEnd(32)} ${(f.coefficient >= 0 ? '+' : '') + f.coefficient.toFixed(3)}   (mean ${f.mean.toFixed(2)}, sd ${f.std.toFixed(2)})`);
out.push(`  ${'intercept'.padEnd(32)} ${(artifact.intercept >= 0 ? '+' : '') + artifact.intercept.toFixed(3)}`);
out.push('');
out.push(
  `Generated ${timings.entries.toLocaleString('en')} log entries (${timings.examples.toLocaleString('en')} settled orders) in ${(timings.generateMs / 1000).toFixed(1)} s; trained and calibrated in ${(timings.trainMs / 1000).toFixed(1)} s; total ${((Date.now() - started) / 1000).toFixed(1)} s.`,
);
if (featureNames.length !== artifact.features.length) out.push('WARNING: feature list mismatch');

const target = flag('--no-write') ? undefined : (option('--out') ?? join('models', `${artifact.version}.json`));
if (target) {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(artifact, null, 2)}\n`);
  out.push(`Artifact written to ${target}.`);
}
const reportJson = option('--report-json');
if (reportJson) {
  mkdirSync(dirname(reportJson), { recursive: true });
  writeFileSync(reportJson, `${JSON.stringify({ version: artifact.version, model, modelAtPolicyThreshold: modelAtPolicy, baseline: { rule: baselineRule, ...baseline }, training: artifact.training, threshold: artifact.threshold, timings }, null, 2)}\n`);
  out.push(`Report written to ${reportJson}.`);
}
console.log(out.join('\n'));
