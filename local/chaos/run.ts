import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DynamoDbWorkflowStore } from '../../lambdas/adapters/aws/dynamodb-store';
import { accountSideEffects, readJsonLines, readLedger, type SideEffectCounts } from '../../lambdas/adapters/simulators/ledger';
import { names, root } from '../runtime/runtime';
import { planReleases } from '../scenario/orders';
import { buildReport, emptyReportReads, scenarioClockStart, scenarioDayStart } from '../scenario/run';
import { statusPrefix, type ChildStatus } from './status';
import { chaosProfile } from './profile';

export interface ChaosOptions {
  readonly orders: number;
  readonly seed: number;
  /** When to SIGKILL the runtime: a fraction (0 < x < 1) of the orders released, or a count of them. 0: no kill. */
  readonly killAt: number;
  readonly dataDir: string;
  /** Give up waiting (and account for what is there) after this much real time. */
  readonly timeoutSeconds: number;
  /** Progress lines (live); undefined: quiet. */
  readonly progress?: (line: string, final: boolean) => void;
}

export interface ChaosReport {
  readonly released: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly onHold: number;
  /** Open exceptions by owning team, now. */
  readonly openExceptions: Record<string, number>;
  /** Quarantined events by reason code. */
  readonly quarantined: Record<string, number>;
  /**
   * Repeats recognised and not acted on twice: by the orchestrator (event log `duplicate: true`, plus
   * the Correlator's suppressed event ids from suppressed.jsonl) and by the partners (same key).
   */
  readonly duplicatesSuppressed: { readonly orchestrator: number; readonly partners: number };
  /** Side effects as the partners received them, by kind: calls, distinct effects, most effects for one order and step. */
  readonly sideEffects: Record<string, SideEffectCounts & { readonly orders: number }>;
  /** (kind, order, step) with more than one distinct effect. */
  readonly duplicateSideEffects: number;
  readonly duplicateSideEffectList: ReadonlyArray<{ kind: string; orderId: string; step: string; keys: string[] }>;
  /** Released orders neither completed, cancelled nor holding an open exception with an owner. */
  readonly lost: number;
  readonly lostOrders: string[];
  /** Messages left in the dead-letter queues. */
  readonly deadLettered: number;
  readonly kills: ReadonlyArray<{ readonly afterReleased: number; readonly simTime: string }>;
  readonly simulatedDays: number;
  readonly wallSeconds: number;
}

const childScript = join(root, 'local', 'chaos', 'child.ts');

/** One runtime process on the data directory, with its status lines. */
class Child {
  readonly process: ChildProcess;
  status?: ChildStatus;
  endpoint?: string;
  private readonly ready: Promise<void>;
  readonly exited: Promise<number | null>;

  constructor(options: ChaosOptions, fresh: boolean, log: NodeJS.WritableStream) {
    const args = ['--import', 'tsx', childScript, '--data-dir', options.dataDir, '--orders', String(options.orders), '--seed', String(options.seed), ...(fresh ? ['--fresh'] : [])];
    // `node --import tsx` runs the child in one process, so SIGKILL hits the runtime itself.
    this.process = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stderr!.pipe(log, { end: false });
    this.exited = new Promise((done) => this.process.once('exit', (code) => done(code)));
    this.ready = new Promise((done, fail) => {
      createInterface({ input: this.process.stdout! }).on('line', (line) => {
        if (!line.startsWith(statusPrefix)) return;
        try {
          const message = JSON.parse(line.slice(statusPrefix.length)) as ChildStatus & { ready?: boolean; endpoint?: string };
          if (message.ready) {
            this.endpoint = message.endpoint;
            done();
          } else this.status = message;
        } catch {
          /* not a status line */
        }
      });
      void this.exited.then((code) => fail(new Error(`the chaos runtime exited (${code}) before it was ready; see ${options.dataDir}.log`)));
    });
  }

  async whenReady(): Promise<void> {
    await this.ready;
  }

  async kill(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    await this.exited;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The chaos run (issue #5): the scenario's day of releases on a runtime with every fault on, a
 * SIGKILL of that runtime part-way through and a restart on the same data directory, then the
 * accounting of every order from DynamoDB (through the runtime's edge) and of every side effect from
 * the partners' own ledger.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const dataDir = resolve(options.dataDir);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dirname(dataDir), { recursive: true });
  const log = createWriteStream(`${dataDir}.log`);
  const opts = { ...options, dataDir };
  const killAfter = options.killAt <= 0 ? undefined : options.killAt < 1 ? Math.max(1, Math.floor(options.killAt * options.orders)) : Math.floor(options.killAt);
  const kills: Array<{ afterReleased: number; simTime: string }> = [];
  const deadline = started + options.timeoutSeconds * 1000;
  let child = new Child(opts, true, log);
  try {
    await child.whenReady();
    const released = () => options.orders - (child.status?.releasesPending ?? options.orders);
    const line = () => {
      const s = child.status;
      if (!s) return 'starting';
      const sim = new Date(s.now).toISOString().replace('T', ' ').slice(0, 16);
      return `[${sim} sim] released ${released()}/${options.orders}  running ${s.running}  queued ${s.queued}  schedules ${s.schedulesPending}  kills ${kills.length}  ${((Date.now() - started) / 1000).toFixed(0)} s`;
    };
    let quietSince: number | undefined;
    let quietSim: number | undefined;
    let lastCheckSim = Number.NEGATIVE_INFINITY;
    for (;;) {
      await sleep(250);
      options.progress?.(line(), false);
      if (Date.now() > deadline) break;
      if (killAfter !== undefined && kills.length === 0 && released() >= killAfter) {
        kills.push({ afterReleased: released(), simTime: new Date(child.status!.now).toISOString() });
        await child.kill();
        child = new Child(opts, false, log);
        await child.whenReady();
        continue;
      }
      const s = child.status;
      const quiet = s !== undefined && s.releasesPending === 0 && s.running === 0 && s.queued === 0 && s.schedulesPending === 0 && !s.busBusy;
      if (!quiet) {
        quietSince = undefined;
        continue;
      }
      quietSince ??= Date.now();
      quietSim ??= s.now;
      // Quiet for a second of real time and an hour of simulated time (the reconciler has had its turns).
      if (Date.now() - quietSince < 1000 || s.now - quietSim < 3600_000 || s.now - lastCheckSim < 3600_000) continue;
      lastCheckSim = s.now;
      const check = await account(child, opts, kills, started);
      // Orders the reconciler will resume are only lost once it has had a simulated day and a half to do so.
      if (check.lost === 0 || s.now - quietSim > 36 * 3600_000) break;
    }
    options.progress?.(line(), true);
    return await account(child, opts, kills, started);
  } finally {
    await child.kill();
    log.end();
  }
}

async function account(child: Child, options: ChaosOptions, kills: ChaosReport['kills'], started: number): Promise<ChaosReport> {
  const dynamo = new DynamoDBClient({ endpoint: child.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const store = new DynamoDbWorkflowStore(names.table, dynamo);
    const profile = chaosProfile(options.seed, join(options.dataDir, 'partners.jsonl'));
    const orderIds = planReleases(options.orders, profile, scenarioDayStart).map((r) => r.order.orderId);
    const reads = emptyReportReads();
    const report = await buildReport(store, orderIds, { simulatedDays: 0, wallSeconds: 0, stateTransitions: 0, lambdaInvocations: {} }, reads);
    // An order is accounted for when it is finished (completed, cancelled) or a person owns it (an open exception).
    const owned = new Set(reads.openExceptions.filter((e) => e.ownerTeam).map((e) => e.orderId));
    const lostOrders = report.unaccountedOrders.filter((id) => !owned.has(id) || reads.states.get(id) === undefined);
    const quarantined: Record<string, number> = {};
    for (const q of reads.quarantine) quarantined[q.code] = (quarantined[q.code] ?? 0) + 1;
    const calls = readLedger(profile.sideEffectLedger!);
    const effects = accountSideEffects(calls);
    const sideEffects: ChaosReport['sideEffects'] = {};
    for (const [kind, counts] of Object.entries(effects.byKind)) {
      sideEffects[kind] = { ...counts, orders: new Set(calls.filter((c) => c.kind === kind).map((c) => c.orderId)).size };
    }
    // Re-sent releases the starter recorded, and partner events the Correlator recognised (one per event id, a redelivery after the kill included).
    let orchestrator = new Set(readJsonLines<{ eventId?: string }>(join(options.dataDir, 'suppressed.jsonl')).map((d) => d.eventId)).size;
    for (const entries of reads.logs.values()) for (const e of entries) if ((e.details as { duplicate?: unknown } | undefined)?.duplicate === true) orchestrator++;
    const s = child.status;
    return {
      released: report.released,
      completed: report.completed,
      cancelled: report.cancelled,
      onHold: report.onHold,
      openExceptions: report.openExceptions,
      quarantined,
      duplicatesSuppressed: { orchestrator, partners: effects.deduplicatedByPartner },
      sideEffects,
      duplicateSideEffects: effects.duplicates.length,
      duplicateSideEffectList: effects.duplicates.slice(0, 20),
      lost: lostOrders.length,
      lostOrders,
      deadLettered: s?.deadLettered ?? 0,
      kills,
      simulatedDays: s ? (s.now - scenarioClockStart) / 86_400_000 : 0,
      wallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    dynamo.destroy();
  }
}

/** The accounting as an operator reads it. */
export function renderChaos(r: ChaosReport): string {
  const rows = (o: Record<string, number>) => (Object.keys(o).length ? Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `    ${k.padEnd(24)}${String(v).padStart(6)}`).join('\n') : '    none');
  const fx = Object.entries(r.sideEffects)
    .map(([k, c]) => `    ${k.padEnd(14)} ${String(c.orders).padStart(5)} orders  ${String(c.calls).padStart(6)} calls  ${String(c.effects).padStart(6)} effects  max per order and step ${c.maxPerOrderStep}`)
    .join('\n');
  return [
    '',
    '== Chaos run: accounting ==',
    `${r.kills.map((k) => `SIGKILL after ${k.afterReleased} releases at ${k.simTime} (sim), restarted on the same data directory`).join('\n') || 'no kill'}`,
    `Simulated ${r.simulatedDays.toFixed(1)} days in ${r.wallSeconds.toFixed(0)} s`,
    '',
    `released            ${String(r.released).padStart(6)}`,
    `completed           ${String(r.completed).padStart(6)}`,
    `cancelled           ${String(r.cancelled).padStart(6)}`,
    `on hold             ${String(r.onHold).padStart(6)}`,
    `open exceptions by owner\n${rows(r.openExceptions)}`,
    `quarantined by reason\n${rows(r.quarantined)}`,
    `duplicates suppressed  orchestrator ${r.duplicatesSuppressed.orchestrator}  partners ${r.duplicatesSuppressed.partners}`,
    `side effects (as the partners received them)\n${fx || '    none'}`,
    `duplicate side effects ${r.duplicateSideEffects}${r.duplicateSideEffects ? `  <-- ${r.duplicateSideEffectList.slice(0, 5).map((d) => `${d.kind} ${d.orderId} ${d.step}`).join(', ')}` : ''}`,
    `dead-lettered       ${String(r.deadLettered).padStart(6)}`,
    `lost: ${r.lost}${r.lost ? `  <-- ${r.lostOrders.slice(0, 10).join(', ')}` : ''}`,
    '',
  ].join('\n');
}
