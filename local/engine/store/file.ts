import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExecutionRecord, HistoryEvent, StateMachineRecord } from '../types';
import { compactEventsLine, compactEventsParts, EventLineWriter, recordJson, restoreCompactEvents, restoreEvents, StringTable } from './serialize';
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
  | { k: 'def'; id: number; definition: string }
  | { k: 'exdef'; arn: string; definition?: string; ref?: number }
  | { k: 'evs'; arn: string; v: unknown[] }
  | { k: 'tab'; at: number; v: string[] }
  | { k: 'evc'; arn: string; id: number; t: number; v: unknown[] }
  | { k: 'ev'; arn: string; v: HistoryEvent; p?: Record<string, unknown> };

/** Old journals: one line per event, payloads raw under `p`. */
function restorePayloads(line: { v: HistoryEvent; p?: Record<string, unknown> }): HistoryEvent {
  if (!line.p) return line.v;
  const key = Object.keys(line.v).find((k) => k.endsWith('EventDetails'))!;
  const details = { ...(line.v[key] as Record<string, unknown>) };
  for (const [f, v] of Object.entries(line.p)) details[f] = JSON.stringify(v);
  return { ...line.v, [key]: details };
}

/** A line of the events of one execution (the events of a batch, or a chunk of a history). */
function eventsLine(arnJson: string, events: HistoryEvent[], from = 0, to = events.length): string {
  const w = new EventLineWriter();
  let s = `{"k":"evs","arn":${arnJson},"v":[`;
  for (let i = from; i < to; i++) s += (i > from ? ',' : '') + w.event(events[i]);
  return s + ']}';
}

/** A checkpoint line (the definition is written once per execution, as `exdef`). */
function executionLine(record: ExecutionRecord): string {
  return `{"k":"ex","v":${recordJson(record)}}`;
}

/**
 * An append-only journal of JSON lines: state machines, definitions, execution checkpoints and
 * history events. Writes are only queued (no serialization) and gathered for `batchMs`; each
 * batch is serialized once (one line with the events of each execution, one checkpoint per
 * execution touched) and appended with one write (group commit). `flush()` writes at once when
 * no write is in flight, else joins the next batch. The journal is compacted on load (last
 * checkpoint per execution, full histories), so it stays proportional to the live data. A torn
 * last line (killed mid-write) is ignored.
 */
export class FileExecutionStore implements ExecutionStore {
  private readonly file: string;
  private fd?: number;
  private lines: string[] = [];
  private pendingExecutions = new Map<string, ExecutionRecord>();
  /** Events not written yet, per execution, in order. */
  private pendingEvents = new Map<string, HistoryEvent[]>();
  private timer?: NodeJS.Timeout;
  private writing?: Promise<void>;
  /** Callers of `flush()` waiting for the next batch. */
  private waiters: ((err?: unknown) => void)[] = [];
  /** A batch is requested for right after the write in flight. */
  private chained = false;
  /** Error of a write no `flush()` was waiting for, reported to the next `flush()`. */
  private failed?: unknown;
  /** Executions whose definition line is already in the journal. */
  private readonly known = new Set<string>();
  /** Definition texts already in the journal, by id (executions refer to them). */
  private readonly definitionIds = new Map<string, number>();
  /** JSON text of each execution ARN (written on every events line). */
  private readonly arnJson = new Map<string, string>();
  /** Strings numbered in the journal (see `StringTable`). */
  private readonly table = new StringTable();

  constructor(private readonly options: FileExecutionStoreOptions) {
    this.file = path.join(options.directory, 'journal.ndjson');
  }

  async load(): Promise<StoredState> {
    fs.mkdirSync(this.options.directory, { recursive: true });
    const machines = new Map<string, StateMachineRecord>();
    const executions = new Map<string, StoredExecution>();
    const definitions = new Map<string, string>();
    const definitionTexts = new Map<number, string>();
    const table: string[] = [];
    const historyOf = (arn: string): HistoryEvent[] => {
      const cur = executions.get(arn);
      if (cur) return cur.history;
      const created = { record: undefined as unknown as ExecutionRecord, history: [] as HistoryEvent[] };
      executions.set(arn, created);
      return created.history;
    };
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
        else if (line.k === 'def') definitionTexts.set(line.id, line.definition);
        else if (line.k === 'exdef') definitions.set(line.arn, line.definition ?? definitionTexts.get(line.ref!) ?? '');
        else if (line.k === 'ex') {
          const cur = executions.get(line.v.executionArn);
          if (cur) cur.record = line.v;
          else executions.set(line.v.executionArn, { record: line.v, history: [] });
        } else if (line.k === 'evs') {
          const history = historyOf(line.arn);
          for (const e of restoreEvents(line.v)) history.push(e);
        } else if (line.k === 'tab') {
          for (let i = 0; i < line.v.length; i++) table[line.at + i] = line.v[i];
        } else if (line.k === 'evc') {
          const history = historyOf(line.arn);
          for (const e of restoreCompactEvents(line, table)) history.push(e);
        } else if (line.k === 'ev') {
          historyOf(line.arn).push(restorePayloads(line));
        }
      }
    }
    const state: StoredState = {
      stateMachines: [...machines.values()],
      executions: [...executions.values()].filter((e) => e.record),
    };
    for (const e of state.executions) {
      if (e.record.definition === undefined) e.record.definition = definitions.get(e.record.executionArn) ?? '';
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
    this.table.reset();
    for (const sm of state.stateMachines) out({ k: 'sm', v: sm });
    for (const e of state.executions) {
      const arn = e.record.executionArn;
      out(this.definitionLines(arn, e.record.definition));
      out(executionLine(e.record));
      for (let i = 0; i < e.history.length; i += 1000) out(this.eventLines(arn, e.history, i, Math.min(i + 1000, e.history.length)));
    }
    if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
  }

  /** The `def` line of a definition not in the journal yet, and the execution's `exdef` line. */
  private definitionLines(arn: string, definition: string): string {
    this.known.add(arn);
    let id = this.definitionIds.get(definition);
    let head = '';
    if (id === undefined) {
      id = this.definitionIds.size + 1;
      this.definitionIds.set(definition, id);
      head = JSON.stringify({ k: 'def', id, definition }) + '\n';
    }
    return `${head}{"k":"exdef","arn":${this.arnText(arn)},"ref":${id}}`;
  }

  /**
   * The compact line of events (`evc`), preceded by the `tab` line of the strings it numbers
   * first; the `evs` form when the events do not fit the compact one.
   */
  private eventLines(arn: string, events: HistoryEvent[], from = 0, to = events.length): string {
    const arnJson = this.arnText(arn);
    const line = compactEventsLine(arnJson, events, from, to, this.table) ?? eventsLine(arnJson, events, from, to);
    return this.table.takeLine() + line;
  }

  private arnText(arn: string): string {
    let t = this.arnJson.get(arn);
    if (t === undefined) this.arnJson.set(arn, (t = JSON.stringify(arn)));
    return t;
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
    if (!this.known.has(record.executionArn)) this.lines.push(this.definitionLines(record.executionArn, record.definition));
    this.pendingExecutions.set(record.executionArn, record);
    this.schedule();
  }

  appendEvent(arn: string, event: HistoryEvent): void {
    const list = this.pendingEvents.get(arn);
    if (list) list.push(event);
    else this.pendingEvents.set(arn, [event]);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.chained || this.fd === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writeBatch();
    }, this.options.batchMs ?? 2);
  }

  private get idle(): boolean {
    return !this.lines.length && !this.pendingExecutions.size && !this.pendingEvents.size;
  }

  /**
   * Serializes everything queued and writes it with one write. While a write is in flight the
   * next batch waits for it (and gathers whatever comes meanwhile): one write at a time, in order.
   */
  private writeBatch(): void {
    if (this.writing) {
      this.chained = true;
      return;
    }
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const waiters = this.waiters;
    this.waiters = [];
    if (this.idle || this.fd === undefined) {
      for (const f of waiters) f();
      return;
    }
    // Serialized now: checkpoints are taken at the batch, so the snapshot and the events in
    // the same write are consistent with each other. Events first: a checkpoint never gets
    // ahead of the history it refers to.
    // The `tab` line of the strings numbered in this batch goes before the events lines that
    // use them.
    // All the pieces of the batch go into one array, joined once (no string per line).
    const parts: string[] = [];
    for (const l of this.lines) parts.push(l, '\n');
    const tabAt = parts.length;
    parts.push('');
    for (const [arn, events] of this.pendingEvents) {
      const arnJson = this.arnText(arn);
      if (!compactEventsParts(arnJson, events, 0, events.length, this.table, parts)) parts.push(eventsLine(arnJson, events));
      parts.push('\n');
    }
    parts[tabAt] = this.table.takeLine();
    for (const r of this.pendingExecutions.values()) parts.push(executionLine(r), '\n');
    const data = parts.join('');
    this.lines = [];
    this.pendingEvents = new Map();
    this.pendingExecutions = new Map();
    const fd = this.fd;
    this.writing = new Promise<void>((resolve, reject) => {
      fs.write(fd, data, (err) => {
        if (err) return reject(err);
        if (!this.options.fsync) return resolve();
        fs.fdatasync(fd, (e) => (e ? reject(e) : resolve()));
      });
    });
    this.writing
      .then(
        () => undefined,
        (err: unknown) => err,
      )
      .then((err) => {
        this.writing = undefined;
        // What a failed write holds is unknown: the table is defined again from the start.
        if (err !== undefined) this.table.reset();
        if (err !== undefined && !waiters.length) this.failed = err;
        for (const f of waiters) f(err);
        if (this.chained) {
          this.chained = false;
          this.writeBatch();
        } else if (!this.idle) this.schedule();
      });
  }

  flush(): Promise<void> {
    return new Promise((resolve, reject) => {
      const failed = this.failed;
      if (failed !== undefined) {
        // A write nobody waited for failed: what was in it is not durable.
        this.failed = undefined;
        return reject(failed);
      }
      this.waiters.push((err) => (err === undefined ? resolve() : reject(err)));
      this.writeBatch();
    });
  }

  async close(): Promise<void> {
    await this.flush();
    while (this.writing) await this.writing;
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
