/**
 * The local runtime's command line.
 *   npm start [-- options]      start the runtime and run the scenario (a simulated day)
 *   npm run local [-- options]  start the runtime and keep serving (for the AWS SDK and CLI)
 */
import './quiet-sdk-warning';
import { parseArgs } from 'node:util';


import { RealClock, ScaledClock } from './engine';
import { LocalRuntime, defaultPort } from './runtime/runtime';
import { numberOption } from './scenario/report';
import { runScenario } from './scenario/run';

const usage = `Usage:
  npm start -- [--orders 200] [--seed 42] [--speed skip|N] [--short-rate R] [--reject-rate R] [--late-rate R]
               [--port ${defaultPort}] [--serve] [--report-json FILE] [--timeout 170]
  npm run local -- [--port ${defaultPort}] [--fresh] [--speed N]

  --speed skip   jump over idle simulated time (default): a day runs as fast as its work
  --speed N      simulated seconds per real second (1440 = a day a minute)
  --serve        keep the endpoints up after the scenario (Ctrl-C to stop)
  --fresh        (local) start from empty state instead of resuming .local/`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}

function rate(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) fail(`--${name} must be a number from 0 to 1, got '${value}'`);
  return n;
}

const positiveInt = (name: string, value: string | undefined, fallback: number): number => numberOption(name, value, fallback, { integer: true, fail });

async function main(): Promise<void> {
  const [command = 'start', ...rest] = process.argv.slice(2);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        orders: { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        'short-rate': { type: 'string' },
        'reject-rate': { type: 'string' },
        'late-rate': { type: 'string' },
        port: { type: 'string' },
        serve: { type: 'boolean' },
        fresh: { type: 'boolean' },
        'report-json': { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const port = positiveInt('port', v.port, defaultPort);
  const speedArg = v.speed ?? 'skip';
  const speed = speedArg === 'skip' ? 'skip' : Number(speedArg);
  if (speed !== 'skip' && !(speed > 0)) fail(`--speed must be 'skip' or a positive number, got '${speedArg}'`);

  if (command === 'serve' || command === 'local') {
    const clock = speed === 'skip' ? new RealClock() : new ScaledClock(speed);
    const runtime = await LocalRuntime.start({ port, clock, fresh: v.fresh ?? false, log: (l) => process.stderr.write(`${l}\n`) });
    process.stdout.write(`AWS_ENDPOINT_URL=${runtime.endpoint}\n`);
    process.stderr.write(`Serving DynamoDB, EventBridge (bus '${'logistics'}'), Step Functions and SQS on ${runtime.endpoint}. Ctrl-C to stop.\n`);
    await untilSignal();
    await runtime.stop();
    return;
  }
  if (command !== 'start') fail(`unknown command '${command}'`);

  const { report, runtime } = await runScenario({
    orders: positiveInt('orders', v.orders, 200),
    seed: positiveInt('seed', v.seed, 42),
    speed,
    shortRate: rate('short-rate', v['short-rate']),
    rejectRate: rate('reject-rate', v['reject-rate']),
    lateRate: rate('late-rate', v['late-rate']),
    port,
    serve: v.serve ?? false,
    reportJson: v['report-json'],
    timeoutSeconds: positiveInt('timeout', v.timeout, 170),
    out: (t) => process.stdout.write(t),
    interactive: process.stdout.isTTY === true && !process.env.CI,
  });
  if (v.serve) {
    process.stderr.write(`Scenario done; still serving on ${runtime.endpoint}. Ctrl-C to stop.\n`);
    await untilSignal();
  }
  await runtime.stop();
  if (report.unaccounted > 0) {
    process.stderr.write(`${report.unaccounted} order(s) unaccounted for\n`);
    process.exitCode = 1;
  }
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
