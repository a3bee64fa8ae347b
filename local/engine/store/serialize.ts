/**
 * Hand-rolled JSON text of history events and checkpoints for the journal. The generic
 * `JSON.stringify` of a whole event was the first hot spot of the engine: events have a fixed
 * shape, their payloads are JSON texts already (cached per object by `payloadText`), and a
 * frame's `input` is the same object as its StateEntered event's input, so its text is reused.
 */
import { detailsKey, NOT_TRUNCATED, payloadText } from '../history';
import type { ExecutionRecord, FrameState, HistoryEvent } from '../types';

/**
 * Payload fields of event details, already JSON text: written raw under `~<field>` (no escaping
 * of every quote), turned back into strings on load.
 */
const RAW_FIELDS: Record<string, true> = { input: true, output: true, parameters: true };
const RAW_PREFIX = '~';

/** Our payload strings come from JSON.stringify; a cheap check guards the raw embedding. */
function isJsonText(v: string): boolean {
  return v.length > 0 && v.indexOf('\n') < 0;
}

/**
 * Serializes the events of one journal line. Payload texts are written raw (`~field`); a payload
 * equal to the previous one of the line (a state's output is the next state's input, a task's
 * parameters are often its input) is written as `^field` (no value repeated).
 */
export class EventLineWriter {
  private last?: string;

  details(d: Record<string, unknown>, raw: boolean): string {
    let s = '';
    for (const k in d) {
      const v = d[k];
      if (v === undefined || typeof v === 'function') continue;
      if (s) s += ',';
      if (typeof v === 'string') {
        if (raw && RAW_FIELDS[k] === true && isJsonText(v)) {
          if (v === this.last) s += `"^${k}":0`;
          else {
            s += `"${RAW_PREFIX}${k}":${v}`;
            this.last = v;
          }
        } else s += `"${k}":${JSON.stringify(v)}`;
      } else if (v === NOT_TRUNCATED) s += `"${k}":{"truncated":false}`;
      else s += `"${k}":${JSON.stringify(v)}`;
    }
    return `{${s}}`;
  }

  /**
   * JSON text of one event: `[id, previousEventId, timestamp, type, details?]` when it has the
   * usual shape, else the event object; payload fields as described above.
   */
  event(e: HistoryEvent): string {
    // The execution input is the caller's text (any JSON formatting): kept as a string.
    const raw = e.type !== 'ExecutionStarted';
    const key = detailsKey(e.type);
    let usual = true;
    for (const k in e) {
      if (k !== 'id' && k !== 'previousEventId' && k !== 'timestamp' && k !== 'type' && (k !== key || e[k] === undefined || e[k] === null || typeof e[k] !== 'object')) {
        if (e[k] !== undefined) usual = false;
      }
    }
    if (usual && typeof e.id === 'number' && typeof e.previousEventId === 'number' && typeof e.timestamp === 'number') {
      const d = key !== undefined ? (e[key] as Record<string, unknown> | undefined) : undefined;
      return `[${e.id},${e.previousEventId},${e.timestamp},${JSON.stringify(e.type)}${d ? ',' + this.details(d, raw) : ''}]`;
    }
    let s = `{"id":${JSON.stringify(e.id)},"previousEventId":${JSON.stringify(e.previousEventId)},"timestamp":${JSON.stringify(e.timestamp)},"type":${JSON.stringify(e.type)}`;
    for (const k in e) {
      if (k === 'id' || k === 'previousEventId' || k === 'timestamp' || k === 'type') continue;
      const v = e[k];
      if (v === undefined || typeof v === 'function') continue;
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && k.endsWith('EventDetails')) s += `,"${k}":${this.details(v as Record<string, unknown>, raw)}`;
      else s += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
    }
    return s + '}';
  }
}

/**
 * Undoes the markers a journal line puts on detail fields, in place: `~f` payload written out (and
 * remembered), `^f` the same payload as the previous one, `@f` an index into the line's string
 * table, `!f` the `{"truncated":false}` details. The "previous payload" runs across one line.
 */
function detailsRestorer(table: readonly string[] = []): (d: Record<string, unknown>) => void {
  let last: string | undefined;
  return (d) => {
    for (const f of Object.keys(d)) {
      const c = f.charCodeAt(0);
      if (c === 126 /* ~ */) {
        last = JSON.stringify(d[f]);
        d[f.slice(1)] = last;
      } else if (c === 94 /* ^ */) d[f.slice(1)] = last;
      else if (c === 64 /* @ */) d[f.slice(1)] = table[d[f] as number];
      else if (c === 33 /* ! */) d[f.slice(1)] = { truncated: false };
      else continue;
      delete d[f];
    }
  };
}

/** Rebuilds the events of a journal line written by `EventLineWriter`. */
export function restoreEvents(list: unknown[]): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  const restoreDetails = detailsRestorer();
  for (const item of list) {
    let e: HistoryEvent;
    if (Array.isArray(item)) {
      const [id, previousEventId, timestamp, type, details] = item as [number, number, number, string, Record<string, unknown>?];
      e = { id, previousEventId, timestamp, type };
      const key = detailsKey(type);
      if (details && key) {
        restoreDetails(details);
        e[key] = details;
      }
    } else {
      e = item as HistoryEvent;
      for (const k in e) {
        const d = e[k];
        if (k.endsWith('EventDetails') && d && typeof d === 'object') restoreDetails(d as Record<string, unknown>);
      }
    }
    out.push(e);
  }
  return out;
}

/** Frame fields holding payloads (immutable values): their text is cached per object. */
function frameJson(f: FrameState): string {
  let s = '';
  for (const k in f) {
    const v = (f as unknown as Record<string, unknown>)[k];
    if (v === undefined || typeof v === 'function') continue;
    if (s) s += ',';
    if (k === 'input' || k === 'output') s += `"${k}":${payloadText(v)}`;
    else if (typeof v === 'string') s += `"${k}":${JSON.stringify(v)}`;
    else if (typeof v === 'number' || typeof v === 'boolean') s += `"${k}":${v}`;
    else s += `"${k}":${JSON.stringify(v)}`;
  }
  return `{${s}}`;
}

/** The fields of a record that never change, as JSON text (the start of every checkpoint line). */
const recordHeads = new WeakMap<ExecutionRecord, string>();
const CONSTANT_FIELDS = ['executionArn', 'stateMachineArn', 'name', 'startDate', 'input', 'roleArn', 'timeoutDue', 'parent', 'stateMachineType'] as const;
const CONSTANT: Record<string, true> = Object.fromEntries(CONSTANT_FIELDS.map((k) => [k, true]));

function recordHead(r: ExecutionRecord): string {
  let h = recordHeads.get(r);
  if (h === undefined) {
    const o: Record<string, unknown> = {};
    for (const k of CONSTANT_FIELDS) if (r[k] !== undefined) o[k] = r[k];
    h = JSON.stringify(o).slice(0, -1);
    recordHeads.set(r, h);
  }
  return h;
}

/** JSON text of a checkpoint without the definition (written once per execution). */
export function recordJson(r: ExecutionRecord): string {
  let s = recordHead(r);
  for (const k in r) {
    if (k === 'definition' || CONSTANT[k] === true) continue;
    const v = (r as unknown as Record<string, unknown>)[k];
    if (v === undefined || typeof v === 'function') continue;
    if (k === 'frames') {
      let fs = '';
      const frames = v as Record<string, FrameState>;
      for (const id in frames) fs += `${fs ? ',' : ''}${JSON.stringify(id)}:${frameJson(frames[id])}`;
      s += `,"frames":{${fs}}`;
    } else s += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return s + '}';
}

/**
 * Strings repeated across events (event types, state names, resources, ARNs), numbered once per
 * journal: a line `{"k":"tab","at":n,"v":[...]}` written just before the first line that uses the
 * new entries (in the same write) defines them; events refer to them by number. The table is
 * rebuilt from the start at each compaction (and after a failed write).
 */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private fresh: string[] = [];
  private from = 0;
  /** Past this size, strings are written as they are (the table never grows unbounded). */
  static readonly MAX = 20000;

  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      if (this.ids.size >= StringTable.MAX) return -1;
      i = this.ids.size;
      this.ids.set(s, i);
      this.fresh.push(s);
    }
    return i;
  }

  /** The `tab` line of the entries added since the last call (with its newline), or ''. */
  takeLine(): string {
    if (!this.fresh.length) return '';
    const line = `{"k":"tab","at":${this.from},"v":${JSON.stringify(this.fresh)}}\n`;
    this.from += this.fresh.length;
    this.fresh = [];
    return line;
  }

  /** Entries not taken yet are dropped (their lines were not produced). */
  reset(): void {
    this.ids.clear();
    this.fresh = [];
    this.from = 0;
  }
}

/** Detail fields whose string values go to the table (bounded sets: names, resources, ARNs). */
const TABLE_FIELDS: Record<string, true> = { name: true, resource: true, resourceType: true, stateMachineArn: true, roleArn: true };
const MAX_TABLE_STRING = 512;

/**
 * The events of one execution as one compact line (`evc`), or undefined when they do not fit it
 * (then the `evs` form is used):
 *
 *   {"k":"evc","arn":…,"id":firstId,"t":firstTimestamp,"v":[[type, dt, details?, previousEventId?], …]}
 *
 * ids follow each other from `id`; `previousEventId` is written only when it is not id - 1
 * (`details` is then 0 when absent); `type` is a table number; `dt` is the timestamp minus `t`.
 * In details, besides `~`/`^` (raw payloads, see `EventLineWriter`): `"@name":n` is table entry
 * n, `"!inputDetails":0` is `{"truncated":false}`.
 */
export function compactEventsLine(arnJson: string, events: HistoryEvent[], from: number, to: number, table: StringTable): string | undefined {
  const out: string[] = [];
  return compactEventsParts(arnJson, events, from, to, table, out) ? out.join('') : undefined;
}

/** Drops what `compactEventsParts` appended: the events do not fit the compact form. */
function failed(out: string[], start: number): false {
  out.length = start;
  return false;
}

/** Rebuilds the events of an `evc` line (`table`: the entries defined so far by `tab` lines). */
export function restoreCompactEvents(line: { id: number; t: number; v: unknown[] }, table: string[]): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  const restoreDetails = detailsRestorer(table);
  let id = line.id;
  for (const item of line.v as [number, number, (Record<string, unknown> | 0)?, number?][]) {
    const type = table[item[0]];
    const e: HistoryEvent = { id, previousEventId: item.length > 3 ? item[3]! : id - 1, timestamp: line.t + item[1], type };
    id++;
    const d = item[2];
    const key = detailsKey(type);
    if (d && key) {
      restoreDetails(d);
      e[key] = d;
    }
    out.push(e);
  }
  return out;
}

/** The key texts of a detail field, built once per field name (fewer, longer pieces to join). */
interface KeyTexts {
  /** `"^k":0` (same payload as the previous one), `"~k":` (raw payload), `"@k":` (table entry), `"!k":0` (not truncated), `"k":`. */
  same: string;
  raw: string;
  tab: string;
  notTruncated: string;
  plain: string;
  /** `RAW_FIELDS` / `TABLE_FIELDS` membership. */
  isRaw: boolean;
  isTable: boolean;
}
const keyTexts = new Map<string, KeyTexts>();
function keyTextsOf(k: string): KeyTexts {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = { same: `"^${k}":0`, raw: `"~${k}":`, tab: `"@${k}":`, notTruncated: `"!${k}":0`, plain: `"${k}":`, isRaw: RAW_FIELDS[k] === true, isTable: TABLE_FIELDS[k] === true };
    if (keyTexts.size < 1000) keyTexts.set(k, t);
  }
  return t;
}

/**
 * `compactEventsLine` as pieces appended to `out` (joined once per batch: no string per line);
 * false, with `out` as it was, when the events do not fit the compact form. Joining costs per
 * piece, so short texts (the event head, markers with their key, table numbers) are concatenated
 * into one piece and only payloads (long, already JSON text) are pieces of their own.
 */
export function compactEventsParts(arnJson: string, events: HistoryEvent[], from: number, to: number, table: StringTable, out: string[]): boolean {
  if (to <= from) return false;
  const first = events[from];
  const id0 = first.id;
  const t0 = first.timestamp;
  if (typeof id0 !== 'number' || typeof t0 !== 'number') return false;
  const start = out.length;
  out.push('{"k":"evc","arn":', arnJson, ',"id":' + id0 + ',"t":' + t0 + ',"v":[');
  let last: string | undefined;
  for (let i = from; i < to; i++) {
    const e = events[i];
    const type = e.type;
    if (e.id !== id0 + (i - from) || typeof e.previousEventId !== 'number' || typeof e.timestamp !== 'number' || typeof type !== 'string') return failed(out, start);
    const key = detailsKey(type);
    for (const k in e) {
      if (k === 'id' || k === 'previousEventId' || k === 'timestamp' || k === 'type') continue;
      const v = e[k];
      if (v === undefined) continue;
      if (k !== key || v === null || typeof v !== 'object' || Array.isArray(v)) return failed(out, start);
    }
    const ti = type.length <= MAX_TABLE_STRING ? table.id(type) : -1;
    if (ti < 0) return failed(out, start);
    // Short texts are concatenated (flat copies of a few bytes); payloads stay pieces of their own.
    let s = (i > from ? ',[' : '[') + ti + ',' + (e.timestamp - t0);
    const d = key !== undefined ? (e[key] as Record<string, unknown> | undefined) : undefined;
    if (d) {
      const raw = type !== 'ExecutionStarted';
      let sep = ',{';
      for (const k in d) {
        const v = d[k];
        if (v === undefined || typeof v === 'function') continue;
        const c = k.charCodeAt(0);
        if (c === 126 || c === 94 || c === 64 || c === 33) return failed(out, start); // our markers: ~ ^ @ !
        const kt = keyTextsOf(k);
        if (typeof v === 'string') {
          if (raw && kt.isRaw && isJsonText(v)) {
            if (v === last) s += sep + kt.same;
            else {
              out.push(s + sep + kt.raw, v);
              s = '';
              last = v;
            }
            sep = ',';
            continue;
          }
          if (kt.isTable && v.length <= MAX_TABLE_STRING) {
            const n = table.id(v);
            if (n >= 0) {
              s += sep + kt.tab + n;
              sep = ',';
              continue;
            }
          }
          out.push(s + sep + kt.plain, JSON.stringify(v));
          s = '';
        } else if (v === NOT_TRUNCATED) s += sep + kt.notTruncated;
        else {
          out.push(s + sep + kt.plain, JSON.stringify(v));
          s = '';
        }
        sep = ',';
      }
      s += sep === ',' ? '}' : ',{}';
    }
    if (e.previousEventId !== e.id - 1) s += (d ? ',' : ',0,') + e.previousEventId;
    out.push(s + ']');
  }
  out.push(']}');
  return true;
}
