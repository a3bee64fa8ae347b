/** Ports to the workflow engine (Step Functions on AWS, the local engine on one machine). */

export interface WorkflowStarter {
  /**
   * Starts the workflow for an order; the execution name is the order id. Starting the same order
   * with the same input again is not an error (`alreadyStarted: true`).
   */
  start(request: { name: string; input: unknown }): Promise<{ executionArn: string; alreadyStarted: boolean }>;
}

/** How an execution ended, or that it still runs (Step Functions DescribeExecution). */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface WorkflowInspector {
  /** The execution's status; undefined when the engine does not know it. */
  describe(executionArn: string): Promise<{ status: ExecutionStatus; error?: string; cause?: string } | undefined>;
  /**
   * Executions of the workflow that ended without finishing (FAILED, ABORTED, TIMED_OUT) at or after
   * `since` (ListExecutions per status): a few calls per run, however many orders are waiting.
   */
  listEnded(since: string): Promise<Array<{ executionArn: string; status: ExecutionStatus }>>;
}

export interface TaskCallbacks {
  /** Resumes a waiting task. Resolves `false` when the token is no longer waiting (timed out or already answered). */
  succeed(taskToken: string, output: unknown): Promise<boolean>;
  /** Fails a waiting task with an error name the ASL catches. Resolves `false` when the token is no longer waiting. */
  fail(taskToken: string, error: string, cause: string): Promise<boolean>;
}

export interface OrchestratorEvent {
  readonly detailType: string;
  readonly detail: unknown;
}

/** Publishes the orchestrator's own events (OrderStageChanged, ExceptionRaised, ...) to the bus. */
export interface EventPublisher {
  publish(events: readonly OrchestratorEvent[]): Promise<void>;
}

export interface PartnerEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
}

/** Sandbox mode: where simulated partners post their answers to be published at `dueAt`. */
export interface SimulatorOutbox {
  schedule(event: PartnerEvent, dueAt: string, now: string): Promise<void>;
}
