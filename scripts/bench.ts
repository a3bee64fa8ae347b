/**
 * npm run bench: every benchmark of the product in one run, so the ratios are measured on the same
 * machine at the same time (these machines are shared and noisy: compare ratios, not absolutes).
 *   1. the Step Functions engine with durability on against aws-local-stepfunctions (in memory);
 *   2. the local runtime end to end on the happy path against its two ceilings;
 *   3. process-intelligence metrics over a million events.
 * Each part runs in its own process, one after the other.
 */
import '../local/quiet-sdk-warning';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const parts: Array<{ title: string; script: string; args: string[] }> = [
  { title: 'Step Functions engine: transitions per second, durable vs aws-local-stepfunctions', script: 'bench-engine.ts', args: ['1000', '20'] },
  { title: 'Local runtime: orders per second end to end vs the engine and dynalite ceilings', script: 'bench-runtime.ts', args: ['200'] },
  { title: 'Process intelligence: events per second over a million events', script: 'bench-insights.ts', args: ['--events', '1000000'] },
];

let failed = 0;
for (const part of parts) {
  process.stdout.write(`\n=== ${part.title} ===\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, part.script), ...part.args], {
    stdio: 'inherit',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
