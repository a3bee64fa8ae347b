import { closeSync, existsSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { QueuedMessage } from '../sqs/queue-service';

/**
 * What a journal record says. One line of JSON each; `k` is the kind:
 *   t    the runtime clock's time (written before any record made at a later time)
 *   q+   a message accepted by a queue        q-   a message deleted (or moved to a dead-letter queue)
 *   s+   a one-time schedule created          s-   a schedule deleted or fired
 *   e+   an event delivery to a rule target accepted by the bus   e-   that delivery finished
 *        (delivered, dead-lettered or dropped)
 */
export type JournalRecord =
  | { k: 't'; now: number }
  | { k: 'q+'; q: string; m: QueuedMessage }
  | { k: 'q-'; q: string; id: string }
  | { k: 's+'; name: string; input: Record<string, unknown> }
  | { k: 's-'; group: string; name: string }
  | { k: 'e+'; id: number; job: unknown }
  | { k: 'e-'; id: number };

/** The work the runtime's in-memory services had accepted and not finished when the journal ended. */
export interface JournalState {
  /** The last time the clock was seen at (undefined: no journal). */
  readonly now?: number;
  /** Messages by queue name, in the order they were sent. */
  readonly messages: Map<string, QueuedMessage[]>;
  /** One-time schedules not yet fired, in the order they were created. */
  readonly schedules: Array<{ name: string; input: Record<string, unknown> }>;
  /** Rule-target deliveries accepted by the bus and not yet finished. */
  readonly deliveries: unknown[];
}

/** Reads a journal into the work it leaves open. A last line cut short by a kill is ignored. */
export function readJournal(file: string): JournalState {
  const messages = new Map<string, Map<string, QueuedMessage>>();
  const schedules = new Map<string, { name: string; input: Record<string, unknown> }>();
  const deliveries = new Map<number, unknown>();
  let now: number | undefined;
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      let r: JournalRecord;
      try {
        r = JSON.parse(line) as JournalRecord;
      } catch {
        continue;
      }
      switch (r.k) {
        case 't':
          now = Math.max(now ?? r.now, r.now);
          break;
        case 'q+': {
          const q = messages.get(r.q) ?? new Map<string, QueuedMessage>();
          q.set(r.m.messageId, r.m);
          messages.set(r.q, q);
          break;
        }
        case 'q-':
          messages.get(r.q)?.delete(r.id);
          break;
        case 's+':
          schedules.set(`${(r.input.GroupName as string | undefined) ?? 'default'}/${r.name}`, { name: r.name, input: r.input });
          break;
        case 's-':
          schedules.delete(`${r.group}/${r.name}`);
          break;
        case 'e+':
          deliveries.set(r.id, r.job);
          break;
        case 'e-':
          deliveries.delete(r.id);
          break;
      }
    }
  }
  return {
    now,
    messages: new Map([...messages].map(([q, m]) => [q, [...m.values()]])),
    schedules: [...schedules.values()],
    deliveries: [...deliveries.values()],
  };
}

/**
 * An append-only journal of the runtime's in-memory services (SQS, Scheduler, the bus's pending
 * deliveries, the clock) under the data directory, so a SIGKILL loses nothing they had accepted.
 * Each record is one synchronous write: once a call returns to its client the record is in the page
 * cache, which a killed process does not lose (a machine crash would; the runtime does not fsync).
 *
 * Compaction happens at start: the open work of the old journal is written through `begin` into a
 * new file, which then replaces the old one.
 */
export class RuntimeJournal {
  private fd: number;
  private lastNow = Number.NaN;
  private nextDelivery = 1;
  private closed = false;

  private constructor(
    /** The journal's file (written at `file.next` until `commit`). */
    readonly file: string,
    private readonly now: () => number,
  ) {
    this.fd = openSync(`${file}.next`, 'w');
  }

  /** Opens a new journal at `file.next`; `commit` moves it over `file` once the old state is replayed into it. */
  static begin(file: string, now: () => number): RuntimeJournal {
    return new RuntimeJournal(file, now);
  }

  commit(): void {
    renameSync(`${this.file}.next`, this.file);
  }

  /** The `t` line for the clock's time if it moved since the last record ('' if not), noting the time as written. */
  private timeLine(): string {
    const now = this.now();
    if (now === this.lastNow) return '';
    this.lastNow = now;
    return `{"k":"t","now":${now}}\n`;
  }

  private write(record: JournalRecord): void {
    if (this.closed) return;
    writeSync(this.fd, `${this.timeLine()}${JSON.stringify(record)}\n`);
  }

  /** Records the clock's time, if it moved since the last record (called on a timer too). */
  tick(): void {
    if (this.closed) return;
    const line = this.timeLine();
    if (line) writeSync(this.fd, line);
  }

  messageSent(q: string, m: QueuedMessage): void {
    this.write({ k: 'q+', q, m });
  }

  messageDeleted(q: string, id: string): void {
    this.write({ k: 'q-', q, id });
  }

  scheduleCreated(name: string, input: Record<string, unknown>): void {
    this.write({ k: 's+', name, input });
  }

  scheduleRemoved(group: string, name: string): void {
    this.write({ k: 's-', group, name });
  }

  /** Returns the id `deliveryFinished` takes. */
  deliveryStarted(job: unknown): number {
    const id = this.nextDelivery++;
    this.write({ k: 'e+', id, job });
    return id;
  }

  deliveryFinished(id: number): void {
    this.write({ k: 'e-', id });
  }

  close(): void {
    if (this.closed) return;
    this.tick();
    this.closed = true;
    closeSync(this.fd);
  }
}

/** The services a journal's open work goes back into. */
export interface JournaledServices {
  readonly sqs: { restore(queue: string, message: QueuedMessage): void };
  readonly scheduler: { createSchedule(name: string, input: Record<string, unknown>): unknown };
  readonly bus: { redeliver(job: never): void };
}

/**
 * Puts the open work of an old journal back (messages, schedules, deliveries), each recorded again
 * in the new journal. Returns what it could not put back (a queue created through the API, which
 * the runtime does not recreate), as lines for the log.
 */
export function replayJournal(state: JournalState, services: JournaledServices): string[] {
  const problems: string[] = [];
  for (const [queue, messages] of state.messages) {
    for (const m of messages) {
      try {
        services.sqs.restore(queue, m);
      } catch (error) {
        problems.push(`journal: message ${m.messageId} for ${queue} not restored: ${(error as Error).message}`);
      }
    }
  }
  for (const s of state.schedules) {
    try {
      services.scheduler.createSchedule(s.name, s.input);
    } catch (error) {
      problems.push(`journal: schedule ${s.name} not restored: ${(error as Error).message}`);
    }
  }
  for (const job of state.deliveries) services.bus.redeliver(job as never);
  return problems;
}
