import type { ExecutionRecord, HistoryEvent, StateMachineRecord } from '../types';
import type { ExecutionStore, StoredState } from './types';

/**
 * Keeps everything in memory, copied at each flush: a second engine created on the same store
 * sees exactly what the first one had flushed, which is what a test of a crash needs.
 */
export class MemoryExecutionStore implements ExecutionStore {
  private readonly machines = new Map<string, string>();
  private readonly executions = new Map<string, string>();
  private readonly histories = new Map<string, string[]>();
  private pendingExecutions = new Map<string, ExecutionRecord>();
  private pendingEvents: [string, HistoryEvent][] = [];
  private scheduled?: Promise<void>;

  async load(): Promise<StoredState> {
    return {
      stateMachines: [...this.machines.values()].map((s) => JSON.parse(s)),
      executions: [...this.executions.entries()].map(([arn, s]) => ({
        record: JSON.parse(s),
        history: (this.histories.get(arn) ?? []).map((e) => JSON.parse(e)),
      })),
    };
  }

  putStateMachine(record: StateMachineRecord): void {
    this.machines.set(record.stateMachineArn, JSON.stringify(record));
  }

  deleteStateMachine(arn: string): void {
    this.machines.delete(arn);
  }

  putExecution(record: ExecutionRecord): void {
    this.pendingExecutions.set(record.executionArn, record);
    this.schedule();
  }

  appendEvent(arn: string, event: HistoryEvent): void {
    this.pendingEvents.push([arn, event]);
    this.schedule();
  }

  private schedule(): Promise<void> {
    if (!this.scheduled) {
      this.scheduled = new Promise((resolve) =>
        setImmediate(() => {
          this.scheduled = undefined;
          this.write();
          resolve();
        }),
      );
    }
    return this.scheduled;
  }

  private write(): void {
    for (const [arn, e] of this.pendingEvents) {
      let h = this.histories.get(arn);
      if (!h) this.histories.set(arn, (h = []));
      h.push(JSON.stringify(e));
    }
    for (const [arn, r] of this.pendingExecutions) this.executions.set(arn, JSON.stringify(r));
    this.pendingEvents = [];
    this.pendingExecutions = new Map();
  }

  flush(): Promise<void> {
    if (!this.pendingEvents.length && !this.pendingExecutions.size) return Promise.resolve();
    return this.schedule();
  }

  /** Drops writes not flushed yet, as a killed process would. */
  discardPending(): void {
    this.pendingEvents = [];
    this.pendingExecutions = new Map();
  }

  async close(): Promise<void> {
    this.write();
  }
}
