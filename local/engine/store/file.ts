import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExecutionRecord, HistoryEvent, StateMachineRecord } from '../types';
import { detailsKey } from '../history';
import type { ExecutionStore, StoredExecution, StoredState } from './types';

export interface FileExecutionStoreOptions {
  /** Directory of the journal (created if missing), e.g. `.local/sfn`. */
  directory: string;
  /** fsync each batch (survives power loss, not only a killed process). Default false. */
  fsync?: boolean;
  /** Milliseconds to gather writes into one batch. Default 2. */
  batchMs?: number;
}

type Line =
  | { k: 'sm'; v: StateMachineRecord }
  | { k: 'smdel'; arn: string }
  | { k: 'ex'; v: ExecutionRecord }
  | { k: 'exdef'; arn: string; definition: string }
  | { k: 'ev'; arn: string; v: HistoryEvent; p?: Record<string, unknown> };

/** Payload fields of event details, already JSON text: embedded raw in the journal line. */
const PAYLOAD_FIELDS = ['input', 'output', 'parameters'];

/**
 * One journal line for an event. Its payload strings are JSON texts; writing them as nested
 * JSON strings would escape every quote, so they go raw under `p` and are turned back into
 * strings on load.
 */
function eventLine(arn: string, event: HistoryEvent): string {
  const key = detailsKey(event.type);
  const details = key ? (event[key] as Record<string, unknown> | undefined) : undefined;
  const raw: string[] = [];
  let base: HistoryEvent = event;
  if (details && PAYLOAD_FIELDS.some((f) => typeof details[f] === 'string')) {
    const rest: Record<string, unknown> = {};
    for (const [f, v] of Object.entries(details)) {
      if (PAYLOAD_FIELDS.includes(f) && typeof v === 'string' && isJsonText(v)) raw.push(`${JSON.stringify(f)}:${v}`);
      else rest[f] = v;
    }
    base = { ...event, [key!]: rest };
  }
  const head = `{"k":"ev","arn":${JSON.stringify(arn)},"v":${JSON.stringify(base)}`;
  return raw.length ? `${head},"p":{${raw.join(',')}}}` : `${head}}`;
}

/** Our payload strings come from JSON.stringify; a cheap check guards the raw embedding. */
function isJsonText(v: string): boolean {
  return v.length > 0 && !v.includes('\n');
}

function restorePayloads(line: { v: HistoryEvent; p?: Record<string, unknown> }): HistoryEvent {
  if (!line.p) return line.v;
  const key = Object.keys(line.v).find((k) => k.endsWith('EventDetails'))!;
  const details = { ...(line.v[key] as Record<string, unknown>) };
  for (const [f, v] of Object.entries(line.p)) details[f] = JSON.stringify(v);
  return { ...line.v, [key]: details };
}

/** A checkpoint line without the definition (written once per execution, as `exdef`). */
function executionLine(record: ExecutionRecord): string {
  const { definition: _definition, ...rest } = record;
  return JSON.stringify({ k: 'ex', v: rest });
}

/**
 * An append-only journal of JSON lines: state machines, execution checkpoints and history
 * events. Writes are gathered for `batchMs` and appended with one write (group commit); the
 * journal is compacted on load (last checkpoint per execution, full histories), so it stays
 * proportional to the live data. A torn last line (killed mid-write) is ignored.
 */
export class FileExecutionStore implements ExecutionStore {
  private readonly file: string;
  private fd?: number;
  private lines: string[] = [];
  private pendingExecutions = new Map<string, ExecutionRecord>();
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;
  private waiters: (() => void)[] = [];
  /** Executions whose definition line is already in the journal. */
  private readonly known = new Set<string>();

  constructor(private readonly options: FileExecutionStoreOptions) {
    this.file = path.join(options.directory, 'journal.ndjson');
  }

  async load(): Promise<StoredState> {
    fs.mkdirSync(this.options.directory, { recursive: true });
    const machines = new Map<string, StateMachineRecord>();
    const executions = new Map<string, StoredExecution>();
    const definitions = new Map<string, string>();
    if (fs.existsSync(this.file)) {
      const text = fs.readFileSync(this.file, 'utf8');
      for (const raw of text.split('\n')) {
        if (!raw) continue;
        let line: Line;
        try {
          line = JSON.parse(raw);
        } catch {
          continue; // torn write at the end of the journal
        }
        if (line.k === 'sm') machines.set(line.v.stateMachineArn, line.v);
        else if (line.k === 'smdel') machines.delete(line.arn);
        else if (line.k === 'exdef') definitions.set(line.arn, line.definition);
        else if (line.k === 'ex') {
          const cur = executions.get(line.v.executionArn);
          if (cur) cur.record = line.v;
          else executions.set(line.v.executionArn, { record: line.v, history: [] });
        } else if (line.k === 'ev') {
          const cur = executions.get(line.arn);
          const event = restorePayloads(line);
          if (cur) cur.history.push(event);
          else executions.set(line.arn, { record: undefined as unknown as ExecutionRecord, history: [event] });
        }
      }
    }
    const state: StoredState = {
      stateMachines: [...machines.values()],
      executions: [...executions.values()].filter((e) => e.record),
    };
    for (const e of state.executions) {
      if (e.record.definition === undefined) e.record.definition = definitions.get(e.record.executionArn) ?? '';
      this.known.add(e.record.executionArn);
    }
    for (const e of state.executions) {
      // Events written after the last checkpoint of a killed process are kept: the history
      // is what happened; ids stay unique because they follow the array length.
      e.history.sort((a, b) => a.id - b.id);
      e.history = e.history.filter((ev, i, all) => i === 0 || all[i - 1].id !== ev.id);
    }
    this.compact(state);
    this.fd = fs.openSync(this.file, 'a');
    return state;
  }

  private compact(state: StoredState): void {
    const tmp = this.file + '.tmp';
    const fd = fs.openSync(tmp, 'w');
    const chunk: string[] = [];
    const out = (l: Line | string) => {
      chunk.push(typeof l === 'string' ? l : JSON.stringify(l));
      if (chunk.length >= 1000) {
        fs.writeSync(fd, chunk.join('\n') + '\n');
        chunk.length = 0;
      }
    };
    for (const sm of state.stateMachines) out({ k: 'sm', v: sm });
    for (const e of state.executions) {
      out({ k: 'exdef', arn: e.record.executionArn, definition: e.record.definition });
      out(executionLine(e.record));
      for (const ev of e.history) out(eventLine(e.record.executionArn, ev));
    }
    if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
  }

  putStateMachine(record: StateMachineRecord): void {
    this.lines.push(JSON.stringify({ k: 'sm', v: record }));
    this.schedule();
  }

  deleteStateMachine(arn: string): void {
    this.lines.push(JSON.stringify({ k: 'smdel', arn }));
    this.schedule();
  }

  putExecution(record: ExecutionRecord): void {
    if (!this.known.has(record.executionArn)) {
      this.known.add(record.executionArn);
      this.lines.push(JSON.stringify({ k: 'exdef', arn: record.executionArn, definition: record.definition }));
    }
    this.pendingExecutions.set(record.executionArn, record);
    this.schedule();
  }

  appendEvent(arn: string, event: HistoryEvent): void {
    this.lines.push(eventLine(arn, event));
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.fd === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.writeBatch();
    }, this.options.batchMs ?? 2);
  }

  private writeBatch(): Promise<void> {
    if (this.writing) return this.writing.then(() => this.writeBatch());
    if (!this.lines.length && !this.pendingExecutions.size) {
      const w = this.waiters;
      this.waiters = [];
      w.forEach((f) => f());
      return Promise.resolve();
    }
    // Serialize now: checkpoints are taken at the batch, so the snapshot and the events in
    // the same write are consistent with each other.
    for (const r of this.pendingExecutions.values()) this.lines.push(executionLine(r));
    const data = this.lines.join('\n') + '\n';
    this.lines = [];
    this.pendingExecutions = new Map();
    const waiters = this.waiters;
    this.waiters = [];
    const fd = this.fd!;
    this.writing = new Promise<void>((resolve, reject) => {
      fs.write(fd, data, (err) => {
        if (err) return reject(err);
        if (!this.options.fsync) return resolve();
        fs.fdatasync(fd, (e) => (e ? reject(e) : resolve()));
      });
    }).finally(() => {
      this.writing = undefined;
      waiters.forEach((f) => f());
    });
    return this.writing;
  }

  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      void this.writeBatch();
    });
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.writing) await this.writing;
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
