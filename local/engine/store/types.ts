import type { ExecutionRecord, HistoryEvent, StateMachineRecord } from '../types';

export interface StoredExecution {
  record: ExecutionRecord;
  history: HistoryEvent[];
}

export interface StoredState {
  stateMachines: StateMachineRecord[];
  executions: StoredExecution[];
}

/**
 * Where the engine keeps state machines, execution records (with the checkpoint of every
 * running frame) and histories. Writes are fire-and-forget and may be batched; `flush()`
 * resolves when everything written before it is durable (group commit).
 */
export interface ExecutionStore {
  load(): Promise<StoredState>;
  putStateMachine(record: StateMachineRecord): void;
  deleteStateMachine(stateMachineArn: string): void;
  /**
   * Records the latest checkpoint of an execution. The store may serialize the object at the
   * next flush instead of now, so the caller keeps mutating the same object and marks it again.
   */
  putExecution(record: ExecutionRecord): void;
  appendEvent(executionArn: string, event: HistoryEvent): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}
