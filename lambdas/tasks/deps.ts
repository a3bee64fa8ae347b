import type { SlaPolicy } from '../domain/sla';
import type { EventPublisher, Systems, TaskCallbacks, Telemetry, WorkflowStore } from '../ports';

/** Everything a workflow task needs, injected: tests pass simulators and fakes, handlers pass adapters. */
export interface TaskDeps {
  readonly store: WorkflowStore;
  readonly systems: Systems;
  readonly callbacks: TaskCallbacks;
  readonly publisher: EventPublisher;
  readonly sla: SlaPolicy;
  readonly telemetry: Telemetry;
}
