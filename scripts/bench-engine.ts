/**
 * Transitions per second of the engine for a 20-state machine with no-op tasks (a Lambda
 * returning its input, in-process), durability on (file store, group commit), against the same
 * machine on `aws-local-stepfunctions` (in memory, no history, no durability), in the same run.
 *
 *   npx tsx scripts/bench-engine.ts [executions=1000] [concurrency=20]
 *
 * Both engines are warmed up first (JIT), then they run in alternating rounds (ours, theirs,
 * ours, theirs…; default 7 rounds each, `BENCH_ROUNDS`), and the ratio is that of the medians,
 * so one noisy round on a shared machine does not decide it. Every round is printed.
 * `runEngineBench()` returns the same figures for `scripts/bench.ts`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, FileExecutionStore, MemoryExecutionStore } from '../local/engine';

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

export type BenchKind = 'tasks' | 'pass';

export interface EngineBenchOptions {
  /** Measured executions per run (default 1000). */
  executions?: number;
  /** Executions in flight at a time (default 20). */
  concurrency?: number;
  /** Alternating rounds per side; the median is reported (default 7). */
  runs?: number;
  /** Executions of the warm-up of each engine (default: as many as measured, at least 500). */
  warmup?: number;
  /** Machines to measure (default both). */
  kinds?: BenchKind[];
  /** Also measure the engine with the in-memory store (default false). */
  memoryStore?: boolean;
}

export interface EngineBenchFigures {
  kind: BenchKind;
  label: string;
  executions: number;
  concurrency: number;
  /** Median transitions/s of the engine with the file store (durable). */
  ours: number;
  /** Median transitions/s of aws-local-stepfunctions. */
  theirs: number;
  /** theirs / ours, the ratio of the medians (target <= 3). */
  ratio: number;
  /** Ratio of each round (theirs / ours of the same round), for the spread. */
  roundRatios: number[];
  /** Every round, transitions/s, in the order run. */
  oursRuns: number[];
  theirsRuns: number[];
  /** Median transitions/s with the in-memory store, when asked for. */
  oursMemory?: number;
  /** Journal bytes per execution (file store, last round). */
  journalBytesPerExecution: number;
}

export interface EngineBenchResult {
  executions: number;
  concurrency: number;
  results: EngineBenchFigures[];
  /** Ratio of the machine with no-op tasks (the figure). */
  ratio: number;
}

const LABELS: Record<BenchKind, string> = { tasks: '10 in-process Lambda tasks + 10 Pass', pass: '20 Pass' };

/** `tasks`: every other state is an in-process Lambda returning its input; `pass`: Pass states only. */
function definition(kind: BenchKind): Record<string, unknown> {
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

export interface OursRun {
  transitionsPerSecond: number;
  /** Journal size per execution (file store; 0 for the memory store). */
  journalBytesPerExecution: number;
}

/**
 * One run of the engine. The clock stops once the engine is closed, i.e. once everything is on
 * disk (the last batch included); the journal must then hold at least 1 KB per execution.
 */
export async function benchOurs(kind: BenchKind, executions: number, concurrency: number, storeKind: 'file' | 'memory' = 'file'): Promise<OursRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-bench-'));
  try {
    const engine = await Engine.start({
      store: storeKind === 'file' ? new FileExecutionStore({ directory: dir }) : new MemoryExecutionStore(),
      integrations: { invokeLambda: async (req) => ({ payload: req.payload }) },
    });
    let t0 = 0;
    try {
      const { stateMachineArn } = await engine.createStateMachine({ name: 'bench', definition: JSON.stringify(definition(kind)), roleArn: 'arn:aws:iam::000000000000:role/bench' });
      t0 = performance.now();
      await pool(executions, concurrency, async (i) => {
        const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify({ order: i }) });
        const d = await engine.waitForExecution(executionArn);
        if (d.status !== 'SUCCEEDED') throw new Error(`execution ${i}: ${d.status} ${d.error} ${d.cause}`);
      });
    } finally {
      await engine.close();
    }
    const seconds = (performance.now() - t0) / 1000;
    let journalBytesPerExecution = 0;
    if (storeKind === 'file') {
      journalBytesPerExecution = fs.statSync(path.join(dir, 'journal.ndjson')).size / executions;
      if (journalBytesPerExecution < 1000) throw new Error(`the journal holds ${journalBytesPerExecution.toFixed(0)} bytes per execution: not durable`);
    }
    return { transitionsPerSecond: (executions * STATES) / seconds, journalBytesPerExecution };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchTheirs(kind: BenchKind, executions: number, concurrency: number): Promise<number> {
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

/** Lets the previous run's garbage and pending I/O settle so runs do not bill each other. */
async function settle(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 50));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Measures both engines (warm-up, then `runs` alternating rounds per side, medians compared). */
export async function runEngineBench(options: EngineBenchOptions = {}): Promise<EngineBenchResult> {
  const executions = options.executions ?? 1000;
  const concurrency = options.concurrency ?? 20;
  const runs = Math.max(1, options.runs ?? 7);
  const warmup = options.warmup ?? Math.max(500, executions);
  const kinds = options.kinds ?? ['tasks', 'pass'];
  const results: EngineBenchFigures[] = [];
  for (const kind of kinds) {
    if (warmup > 0) {
      await benchOurs(kind, warmup, concurrency);
      await benchTheirs(kind, warmup, concurrency);
    }
    const oursRuns: number[] = [];
    const theirsRuns: number[] = [];
    const memoryRuns: number[] = [];
    let journalBytesPerExecution = 0;
    for (let r = 0; r < runs; r++) {
      await settle();
      const run = await benchOurs(kind, executions, concurrency);
      oursRuns.push(run.transitionsPerSecond);
      journalBytesPerExecution = run.journalBytesPerExecution;
      await settle();
      theirsRuns.push(await benchTheirs(kind, executions, concurrency));
      if (options.memoryStore) {
        await settle();
        memoryRuns.push((await benchOurs(kind, executions, concurrency, 'memory')).transitionsPerSecond);
      }
    }
    const ours = median(oursRuns);
    const theirs = median(theirsRuns);
    results.push({
      kind,
      label: LABELS[kind],
      executions,
      concurrency,
      ours,
      theirs,
      ratio: theirs / ours,
      roundRatios: oursRuns.map((o, i) => theirsRuns[i] / o),
      oursRuns,
      theirsRuns,
      journalBytesPerExecution,
      ...(memoryRuns.length ? { oursMemory: median(memoryRuns) } : {}),
    });
  }
  const main = results.find((r) => r.kind === 'tasks') ?? results[0];
  return { executions, concurrency, results, ratio: main.ratio };
}

export function formatEngineBench(result: EngineBenchResult): string {
  const lines: string[] = [];
  const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  for (const r of result.results) {
    const rr = r.roundRatios;
    lines.push(`20-state machine (${r.label}), ${r.executions} executions, ${r.concurrency} at a time, median of ${r.oursRuns.length} alternating rounds`);
    lines.push(`  engine (file store, durable):  ${r.ours.toFixed(0)} transitions/s  (rounds: ${runs(r.oursRuns)}; journal ${(r.journalBytesPerExecution / 1024).toFixed(1)} KB per execution)`);
    if (r.oursMemory !== undefined) lines.push(`  engine (memory store):         ${r.oursMemory.toFixed(0)} transitions/s`);
    lines.push(`  aws-local-stepfunctions:       ${r.theirs.toFixed(0)} transitions/s  (rounds: ${runs(r.theirsRuns)})`);
    lines.push(
      `  ratio theirs/ours (of the medians): ${r.ratio.toFixed(2)} (target <= 3); per round ${Math.min(...rr).toFixed(2)}-${Math.max(...rr).toFixed(2)} (${rr.map((x) => x.toFixed(2)).join(', ')})`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const executions = Number(process.argv[2] ?? 1000);
  const concurrency = Number(process.argv[3] ?? 20);
  const rounds = process.env.BENCH_ROUNDS ? Number(process.env.BENCH_ROUNDS) : undefined;
  const result = await runEngineBench({ executions, concurrency, runs: rounds, memoryStore: process.env.BENCH_MEMORY === '1' });
  console.log(formatEngineBench(result));
}

if (typeof require !== 'undefined' && require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
