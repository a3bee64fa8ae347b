/**
 * The chaos run (issue #5): the scenario's orders with every fault on, the runtime SIGKILLed part-way
 * and restarted on the same data directory, then the accounting. Exits 1 if an order is lost or a
 * side effect doubled.
 *   npm run chaos -- [--orders 1000] [--seed 42] [--kill-at 0.5|N] [--report-json FILE] [--data-dir .local/chaos] [--timeout 1200]
 */
import '../local/quiet-sdk-warning';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderChaos, runChaos } from '../local/chaos/run';
import { root } from '../local/runtime/runtime';
import { numberOption as number, progressPrinter } from '../local/scenario/report';

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: { orders: { type: 'string' }, seed: { type: 'string' }, 'kill-at': { type: 'string' }, 'report-json': { type: 'string' }, 'data-dir': { type: 'string' }, timeout: { type: 'string' } },
  });
  const interactive = process.stderr.isTTY === true && !process.env.CI;
  const report = await runChaos({
    orders: number('orders', v.orders, 1000),
    seed: number('seed', v.seed, 42),
    killAt: number('kill-at', v['kill-at'], 0.5),
    dataDir: v['data-dir'] ?? join(root, '.local', 'chaos'),
    timeoutSeconds: number('timeout', v.timeout, 1200),
    progress: progressPrinter((text) => process.stderr.write(text), interactive),
  });
  process.stdout.write(renderChaos(report));
  if (v['report-json']) writeFileSync(v['report-json'], `${JSON.stringify(report, null, 2)}\n`);
  if (report.lost > 0 || report.duplicateSideEffects > 0) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
