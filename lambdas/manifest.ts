/**
 * The functions, queues and wiring of the order-to-ship workflow, as plain data.
 *
 * This module is the single source of truth that both the CDK app (`lib/`) and the local runtime
 * (`local/`) read: it must not import the AWS CDK, the AWS SDK or any handler code.
 * Each function's `access` list is what its IAM role is granted on AWS (least privilege), and what
 * environment it is given (see {@link environmentFor}).
 */

/** Systems reached through adapters; each is a port with a simulator and an HTTP implementation. */
export const systems = ['erp', 'wms', 'tms', 'carrier', 'finance', 'notifications'] as const;
export type SystemName = (typeof systems)[number];

/** What a function may touch. Grants on AWS and environment variables follow from this list. */
export type Access =
  | 'table:read'
  | 'table:write'
  | 'bus:put'
  | 'workflow:start'
  | 'workflow:callback'
  /** ListExecutions on the workflow, DescribeExecution on its executions (the reconciler). */
  | 'workflow:describe'
  /**
   * Orders by status (Query on GSI2), an order's event log and exceptions (Query, GetItem on the
   * table), appending log entries and updating an order's state (PutItem, UpdateItem): the
   * reconciler's narrow table access (no Scan, no BatchWriteItem, no DeleteItem).
   */
  | 'table:orders-by-status'
  | 'simulator:schedule'
  | { system: SystemName };

export interface FunctionSpec {
  /** Logical id; ASL placeholders are `${<id>FunctionArn}`. */
  readonly id: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly access: readonly Access[];
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
}

export interface QueueSpec {
  readonly id: string;
  readonly description: string;
  /** Function consuming the queue through an event-source mapping. */
  readonly consumer: string;
  readonly batchSize: number;
  /** Upper bound on concurrent consumer invocations (keeps StartExecution inside its quota). */
  readonly maxConcurrency: number;
  readonly visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the queue's dead-letter queue. */
  readonly maxReceiveCount: number;
}

export const functions = [
  {
    id: 'OrderStarter',
    entry: 'lambdas/handlers/start-order.ts',
    description: 'Checks released orders against their contract, claim-checks them and starts one workflow per order (name = order id)',
    access: ['table:read', 'table:write', 'workflow:start'],
  },
  {
    id: 'RecordStage',
    entry: 'lambdas/handlers/record-stage.ts',
    description: 'Records a stage change of an order in the workflow store and publishes OrderStageChanged',
    access: ['table:read', 'table:write', 'bus:put'],
  },
  {
    id: 'ValidateOrder',
    entry: 'lambdas/handlers/validate-order.ts',
    description: 'Checks order data quality against ERP master data',
    access: ['bus:put', 'table:read', 'table:write', { system: 'erp' }],
  },
  {
    id: 'CheckInventory',
    entry: 'lambdas/handlers/check-inventory.ts',
    description: 'Reserves stock at the assigned site, or finds another site that can ship the whole order',
    access: ['bus:put', 'table:read', 'table:write', { system: 'wms' }],
  },
  {
    id: 'CreateWave',
    entry: 'lambdas/handlers/create-wave.ts',
    description: 'Releases the order to a pick wave in the WMS',
    access: ['simulator:schedule', 'bus:put', 'table:read', 'table:write', { system: 'wms' }],
  },
  {
    id: 'PlanLoad',
    entry: 'lambdas/handlers/plan-load.ts',
    description: 'Plans the load in the TMS and ranks carriers for the lane',
    access: ['bus:put', 'table:read', 'table:write', { system: 'tms' }],
  },
  {
    id: 'TenderLoad',
    entry: 'lambdas/handlers/tender-load.ts',
    description: 'Tenders the load to a carrier and registers the wait for its answer (task token)',
    access: ['bus:put', 'table:read', 'table:write', 'workflow:callback', 'simulator:schedule', { system: 'carrier' }, { system: 'tms' }],
  },
  {
    id: 'AwaitEvent',
    entry: 'lambdas/handlers/await-event.ts',
    description: 'Registers a wait for a partner event (ship confirmation, delivery) under its correlation key',
    access: ['bus:put', 'table:read', 'table:write', 'workflow:callback', 'simulator:schedule', { system: 'wms' }, { system: 'carrier' }],
  },
  {
    id: 'RaiseException',
    entry: 'lambdas/handlers/raise-exception.ts',
    description: 'Classifies, records and routes an exception to its owner, asks for a decision and waits for it (task token)',
    access: ['table:read', 'table:write', 'bus:put', 'workflow:callback', { system: 'notifications' }],
  },
  {
    id: 'Decide',
    entry: 'lambdas/handlers/decide.ts',
    description: 'Recommends another carrier or site with its reasons and delay risk, and lets the decision policy say who acts (audit trail in the event log)',
    access: ['table:read', 'table:write', { system: 'wms' }],
  },
  {
    id: 'UpdatePromise',
    entry: 'lambdas/handlers/update-promise.ts',
    description: 'Recomputes the promised delivery date after a delay milestone and tells customer service',
    access: ['bus:put', 'table:read', 'table:write', { system: 'erp' }, { system: 'notifications' }],
  },
  {
    id: 'ReleaseInvoice',
    entry: 'lambdas/handlers/release-invoice.ts',
    description: 'Releases the invoice in finance after proof of delivery',
    access: ['bus:put', 'table:read', 'table:write', 'simulator:schedule', { system: 'finance' }],
  },
  {
    id: 'NotifyCustomer',
    entry: 'lambdas/handlers/notify-customer.ts',
    description: 'Sends the customer a status notification (once per order and milestone)',
    access: ['bus:put', 'table:read', 'table:write', { system: 'notifications' }],
  },
  {
    id: 'CancelOrder',
    entry: 'lambdas/handlers/cancel-order.ts',
    description: 'Compensates a cancellation before shipment: releases stock and cancels the tender',
    access: ['bus:put', 'table:read', 'table:write', { system: 'wms' }, { system: 'carrier' }],
  },
  {
    id: 'Correlator',
    entry: 'lambdas/handlers/correlator.ts',
    description: 'Matches partner and approval events to waiting workflows (task tokens) and records routine milestones',
    access: ['table:read', 'table:write', 'workflow:callback', { system: 'notifications' }],
  },
  {
    id: 'Reconciler',
    entry: 'lambdas/handlers/reconcile.ts',
    description: 'Finds running orders whose execution ended (failed, aborted, timed out) and resumes them from their last stage, or hands them to a person',
    access: ['table:orders-by-status', 'workflow:start', 'workflow:describe'],
    timeoutSeconds: 120,
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionId = (typeof functions)[number]['id'];

/** Functions that write root-cause summaries (and may call the Bedrock model when one is configured). */
export const rootCauseSummaryFunctions: readonly string[] = ['RaiseException'];

export const queues = [
  {
    id: 'OrderReleaseQueue',
    description: 'Buffers order releases so a burst stays inside the StartExecution quota',
    consumer: 'OrderStarter',
    batchSize: 10,
    maxConcurrency: 5,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: 5,
  },
] as const satisfies readonly QueueSpec[];

/** A function run on a schedule (EventBridge Scheduler on AWS, the runtime's clock locally). */
export interface ScheduleSpec {
  readonly id: string;
  readonly function: string;
  readonly description: string;
  /** `rate(<n> minutes)` on AWS; every n minutes of the runtime's clock locally. */
  readonly everyMinutes: number;
  /** The function's input; `at` (the scheduled time) is added by the scheduler. */
  readonly input: Readonly<Record<string, unknown>>;
}

export const schedules = [
  {
    id: 'ReconcileSchedule',
    function: 'Reconciler',
    description: 'Resumes orders whose workflow execution ended before the order finished',
    everyMinutes: 15,
    input: { staleAfterSeconds: 3600, lookbackSeconds: 86_400, limit: 500 },
  },
] as const satisfies readonly ScheduleSpec[];

/**
 * Environment variable names the stack (and the local runtime) sets for a function, by access.
 * Handlers read them once at module load (see lambdas/config.ts).
 */
export const env = {
  tableName: 'TABLE_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  stateMachineArn: 'STATE_MACHINE_ARN',
  eventBusArn: 'EVENT_BUS_ARN',
  /** Sandbox mode: schedule group and role for the simulators' delayed answers (EventBridge Scheduler). */
  simulatorScheduleGroup: 'SIMULATOR_SCHEDULE_GROUP',
  simulatorSchedulerRoleArn: 'SIMULATOR_SCHEDULER_ROLE_ARN',
  simulatorSeed: 'SIMULATOR_SEED',
  /** Bedrock model id of root-cause summaries (unset: the template). Set by the CDK context key `rootCauseModelId`. */
  rootCauseModelId: 'ROOT_CAUSE_MODEL_ID',
  /** `<SYSTEM>_MODE`: `simulator` or `http`. */
  systemMode: (s: SystemName) => `${s.toUpperCase()}_MODE`,
  /** `<SYSTEM>_ENDPOINT`: base URL of the partner API (http mode). */
  systemEndpoint: (s: SystemName) => `${s.toUpperCase()}_ENDPOINT`,
  /** `<SYSTEM>_SECRET_NAME`: Secrets Manager secret (or `ssm:/path` parameter) holding credentials (http mode). */
  systemSecret: (s: SystemName) => `${s.toUpperCase()}_SECRET_NAME`,
} as const;

/** Placeholder name in the ASL for a function's ARN. */
export const arnPlaceholder = (id: string) => `${id}FunctionArn`;
