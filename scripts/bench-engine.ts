/**
 * Transitions per second of the engine for a 20-state machine with no-op tasks (a Lambda
 * returning its input, in-process), durability on (file store, group commit), against the same
 * machine on `aws-local-stepfunctions`, in the same run.
 *
 *   npx tsx scripts/bench-engine.ts [executions=400] [concurrency=20]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, FileExecutionStore } from '../local/engine';

// aws-local-stepfunctions needs Promise.withResolvers, absent on Node 20.
const P = Promise as unknown as { withResolvers?: () => unknown };
if (!P.withResolvers) {
  P.withResolvers = () => {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise((res, rej) => ((resolve = res), (reject = rej)));
    return { promise, resolve, reject };
  };
}

const STATES = 20;
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:noop';

type Kind = 'tasks' | 'pass';

/** `tasks`: every other state is an in-process Lambda returning its input; `pass`: Pass states only. */
function definition(kind: Kind): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < STATES; i++) {
    const name = `Step${i}`;
    const next = i + 1 < STATES ? { Next: `Step${i + 1}` } : { End: true };
    states[name] = kind === 'tasks' && i % 2 === 0 ? { Type: 'Task', Resource: FN, ...next } : { Type: 'Pass', ResultPath: `$.s${i}`, Result: i, ...next };
  }
  return { StartAt: 'Step0', States: states };
}

async function pool(total: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await job(next++);
    }),
  );
}

async function benchOurs(kind: Kind, executions: number, concurrency: number): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-bench-'));
  const engine = await Engine.start({
    store: new FileExecutionStore({ directory: dir }),
    integrations: { invokeLambda: async (req) => ({ payload: req.payload }) },
  });
  const { stateMachineArn } = await engine.createStateMachine({ name: 'bench', definition: JSON.stringify(definition(kind)), roleArn: 'arn:aws:iam::000000000000:role/bench' });
  const t0 = performance.now();
  await pool(executions, concurrency, async (i) => {
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify({ order: i }) });
    const d = await engine.waitForExecution(executionArn);
    if (d.status !== 'SUCCEEDED') throw new Error(`execution ${i}: ${d.status} ${d.error} ${d.cause}`);
  });
  const seconds = (performance.now() - t0) / 1000;
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return (executions * STATES) / seconds;
}

async function benchTheirs(kind: Kind, executions: number, concurrency: number): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions');
  const sm = new StateMachine(definition(kind) as never, { validationOptions: { checkPaths: false } } as never);
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  if (kind === 'tasks') for (let i = 0; i < STATES; i += 2) handlers[`Step${i}`] = async (input) => input;
  const t0 = performance.now();
  await pool(executions, concurrency, async (i) => {
    const exec = sm.run({ order: i } as never, { overrides: { taskResourceLocalHandlers: handlers } } as never);
    await exec.result;
  });
  const seconds = (performance.now() - t0) / 1000;
  return (executions * STATES) / seconds;
}

async function main() {
  const executions = Number(process.argv[2] ?? 400);
  const concurrency = Number(process.argv[3] ?? 20);
  for (const kind of ['tasks', 'pass'] as const) {
    // Warm up both (JIT), then measure.
    await benchOurs(kind, 50, concurrency);
    await benchTheirs(kind, 50, concurrency);
    const ours = await benchOurs(kind, executions, concurrency);
    const theirs = await benchTheirs(kind, executions, concurrency);
    const label = kind === 'tasks' ? '10 in-process Lambda tasks + 10 Pass' : '20 Pass';
    console.log(`20-state machine (${label}), ${executions} executions, ${concurrency} at a time`);
    console.log(`  engine (file store, durable):  ${ours.toFixed(0)} transitions/s`);
    console.log(`  aws-local-stepfunctions:       ${theirs.toFixed(0)} transitions/s`);
    console.log(`  ratio theirs/ours: ${(theirs / ours).toFixed(2)} (target <= 3)`);
  }
}

void main();
