/** Shapes shared by the interpreter, the store and the API. */

export type QueryLanguage = 'JSONPath' | 'JSONata';

/** One ASL state, kept loose: validation checks the fields, the interpreter reads them. */
export type StateDefinition = Record<string, any> & { Type: string };

export interface StatesBlock {
  StartAt: string;
  States: Record<string, StateDefinition>;
  QueryLanguage?: QueryLanguage;
  TimeoutSeconds?: number;
  Comment?: string;
  Version?: string;
  ProcessorConfig?: Record<string, unknown>;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
  updateDate?: number;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
  revisionId: string;
  description?: string;
}

/** What one frame (the top level, a Parallel branch, a Map iteration) is doing, persisted. */
export interface FrameState {
  id: string;
  parentId?: string;
  /** Path of the `{StartAt, States}` block from the definition root, e.g. `["States","P","Branches","0"]`. */
  block: string[];
  /** Variables assigned in this frame's own scope; outer scopes are read through the parent chain. */
  vars: Record<string, unknown>;
  /** Query language inherited from the enclosing block. */
  queryLanguage: QueryLanguage;
  /** Map item (index, value) of an iteration frame, for `$$.Map.Item`. */
  mapItem?: { index: number; value: unknown };
  /** Branch index (Parallel) or item index (Map) inside the parent state. */
  slot?: number;
  stateName: string;
  /** The raw input of the current state. */
  input: unknown;
  enteredEventId: number;
  enteredTime: number;
  /** True once StateEntered was recorded for the current state, so a resume does not repeat it. */
  entered: boolean;
  /** Per retrier attempt counts of the current state. */
  attempts?: number[];
  retryCount?: number;
  /** Due time of a pending Wait or retry interval. */
  waitDue?: number;
  retryDue?: number;
  /** A `.waitForTaskToken` task waiting for its callback. */
  task?: { token?: string; timeoutDue?: number; heartbeatDue?: number; heartbeatSeconds?: number; dispatched: boolean; childExecutionArn?: string };
  /** Children of a running Parallel or Map state. */
  children?: ChildrenState;
  /** Id of the last history event of this frame, for the next event's `previousEventId`. */
  lastEventId?: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface ChildrenState {
  kind: 'parallel' | 'map';
  /** Frame id per slot (null: not started yet, for a Map limited by MaxConcurrency). */
  frames: (string | null)[];
  results: unknown[];
  done: boolean[];
  failures: number;
  /** Map items after ItemSelector is applied lazily per item (the raw items are kept). */
  items?: unknown[];
  /** The state's effective input after InputPath/Arguments, used by ItemSelector and for `$$.Map.Item`. */
  effectiveInput?: unknown;
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  mapRunArn?: string;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  definition: string;
  roleArn: string;
  /** Due time of the execution-level TimeoutSeconds. */
  timeoutDue?: number;
  frames: Record<string, FrameState>;
  rootFrameId: string;
  nextFrameId: number;
  /** Parent execution (a child started by `states:startExecution`) and the parent's task. */
  parent?: { executionArn: string; frameId: string; token?: string };
  stateMachineType: 'STANDARD' | 'EXPRESS';
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}
