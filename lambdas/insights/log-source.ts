import type { LogEntry } from '../ports';

/** One order's event log, oldest first. */
export interface OrderLog {
  readonly orderId: string;
  readonly entries: readonly LogEntry[];
}

/**
 * Where the metrics read the workflow event log from: one order at a time, so that any number of
 * events streams through without being held at once.
 */
export interface LogSource {
  orders(): AsyncIterable<OrderLog>;
}

/** Logs held in memory (tests, the `npm start` scenario, benchmarks). */
export class MemoryLogSource implements LogSource {
  constructor(private readonly logs: ReadonlyMap<string, readonly LogEntry[]> | Iterable<OrderLog>) {}

  async *orders(): AsyncIterable<OrderLog> {
    if (this.logs instanceof Map) {
      for (const [orderId, entries] of this.logs as ReadonlyMap<string, readonly LogEntry[]>) yield { orderId, entries };
    } else {
      yield* this.logs as Iterable<OrderLog>;
    }
  }
}

/** A source of generated orders (benchmarks): nothing is kept once an order has been read. */
export class GeneratedLogSource implements LogSource {
  constructor(private readonly generate: () => Iterable<OrderLog>) {}
  async *orders(): AsyncIterable<OrderLog> {
    yield* this.generate();
  }
}
