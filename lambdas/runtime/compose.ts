import { DynamoDbWorkflowStore } from '../adapters/aws/dynamodb-store';
import { EventBridgePublisher } from '../adapters/aws/event-bridge';
import { SchedulerOutbox } from '../adapters/aws/scheduler-outbox';
import { StepFunctionsCallbacks, StepFunctionsStarter } from '../adapters/aws/step-functions';
import { StepFunctionsInspector } from '../adapters/aws/step-functions-inspector';
import { withCircuitBreakers } from '../adapters/circuit-breakers';
import { createHttpSystem } from '../adapters/http';
import { createSimulatedSystems } from '../adapters/simulators/simulators';
import { defaultProfile, simulationProfile } from '../adapters/simulators/profile';
import { requireEnv, systemConfig } from '../config';
import { defaultSla } from '../domain/sla';
import { env, systems as systemNames } from '../manifest';
import { withProcessMetrics, type MetricSink } from '../insights/live-metrics';
import type { SimulatorOutbox, Systems, Telemetry, WorkflowStore } from '../ports';
import type { TaskDeps } from '../tasks/deps';
import type { ReconcileDeps } from '../tasks/reconcile';
import type { StarterDeps } from '../tasks/start-order';

/**
 * Builds the adapters a handler needs from its environment, once per container. Nothing here knows
 * whether it runs on AWS or on the local runtime: the AWS SDK clients follow the SDK's own
 * `AWS_ENDPOINT_URL*` variables.
 */

function simulatorProfile() {
  const raw = process.env.SIMULATOR_PROFILE;
  if (raw) return simulationProfile.parse(JSON.parse(raw));
  return defaultProfile(Number(process.env[env.simulatorSeed] ?? 42));
}

/** The scheduler is only needed by functions whose simulated partners answer later. */
const lazyOutbox: SimulatorOutbox = {
  schedule(event, dueAt, now) {
    outbox ??= new SchedulerOutbox(
      { groupName: requireEnv(env.simulatorScheduleGroup), roleArn: requireEnv(env.simulatorSchedulerRoleArn), eventBusArn: requireEnv(env.eventBusArn) },
      new EventBridgePublisher(requireEnv(env.eventBusName)),
    );
    return outbox.schedule(event, dueAt, now);
  },
};
let outbox: SchedulerOutbox | undefined;

export function buildSystems(): Systems {
  let simulated: Systems | undefined;
  const pick = <K extends keyof Systems>(name: K): Systems[K] => {
    const config = systemConfig(name);
    if (config.mode === 'http') return createHttpSystem(name, { endpoint: config.endpoint!, secretName: config.secretName! }) as Systems[K];
    simulated ??= createSimulatedSystems(simulatorProfile(), lazyOutbox);
    return simulated[name];
  };
  return Object.fromEntries(systemNames.map((name) => [name, lazyPort(() => pick(name))])) as unknown as Systems;
}

/** Resolves a port on first use, so a function that never calls a system needs none of its configuration. */
function lazyPort<T extends object>(resolve: () => T): T {
  let port: T | undefined;
  return new Proxy({} as T, {
    get(_target, prop) {
      port ??= resolve();
      const value = (port as Record<PropertyKey, unknown>)[prop];
      return typeof value === 'function' ? value.bind(port) : value;
    },
  });
}

let taskDeps: TaskDeps | undefined;

/**
 * Process metrics cost a read of the order's log per stage change, so the store emits them only
 * where metrics are published (`POWERTOOLS_METRICS_DISABLED`, Powertools' own switch).
 */
function workflowStore(sink: MetricSink): WorkflowStore {
  const store = new DynamoDbWorkflowStore(requireEnv(env.tableName));
  return process.env.POWERTOOLS_METRICS_DISABLED === 'true' ? store : withProcessMetrics(store, sink);
}

export function getTaskDeps(telemetry: Telemetry, sink: MetricSink): TaskDeps {
  if (taskDeps) return taskDeps;
  const store = workflowStore(sink);
  taskDeps = {
    store,
    // A circuit breaker per partner (state in the table): a partner that is down is refused at once.
    systems: withCircuitBreakers(buildSystems(), store),
    callbacks: new StepFunctionsCallbacks(),
    publisher: lazyPort(() => new EventBridgePublisher(requireEnv(env.eventBusName))),
    sla: defaultSla,
    telemetry,
  };
  return taskDeps;
}

export function getStarterDeps(): StarterDeps {
  return { store: new DynamoDbWorkflowStore(requireEnv(env.tableName)), starter: new StepFunctionsStarter(requireEnv(env.stateMachineArn)) };
}

let reconcileDeps: ReconcileDeps | undefined;

export function getReconcileDeps(): ReconcileDeps {
  if (reconcileDeps) return reconcileDeps;
  const stateMachineArn = requireEnv(env.stateMachineArn);
  reconcileDeps = {
    store: new DynamoDbWorkflowStore(requireEnv(env.tableName)),
    inspector: new StepFunctionsInspector(stateMachineArn),
    starter: new StepFunctionsStarter(stateMachineArn),
    sla: defaultSla,
  };
  return reconcileDeps;
}
