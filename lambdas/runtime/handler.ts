import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import type { Telemetry } from '../ports';
import type { TaskDeps } from '../tasks/deps';
import { getTaskDeps } from './compose';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'logistics-orchestrator' });
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'logistics-orchestrator' });
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'LogisticsOrchestrator' });

export const telemetry: Telemetry = {
  count(name, value = 1, dimensions) {
    if (!dimensions) {
      metrics.addMetric(name, MetricUnit.Count, value);
      return;
    }
    // Dimensions apply to one metric only: a single-metric object keeps them off the function's other metrics.
    const single = metrics.singleMetric();
    for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
    single.addMetric(name, MetricUnit.Count, value);
  },
};

/**
 * Flushes business metrics (EMF) after each invocation. Unlike Powertools' logMetrics, it stays
 * quiet when an invocation recorded none, which is most task invocations.
 */
const flushMetrics = {
  after: () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
  onError: () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
};

/** Wraps a function body with the Powertools logger and tracer and publishes its metrics. */
export function withPowertools<E, R>(fn: (event: E, context: Context) => Promise<R>) {
  return middy(fn).use(injectLambdaContext(logger, { resetKeys: true })).use(captureLambdaHandler(tracer)).use(flushMetrics);
}

/**
 * A workflow task handler: the state machine's payload goes to the task built from the injected
 * ports. Errors propagate with their class name, which Step Functions sees as the error name.
 */
export function taskHandler<R>(make: (deps: TaskDeps) => (input: unknown) => Promise<R>) {
  let task: ((input: unknown) => Promise<R>) | undefined;
  return withPowertools(async function runTask(event: unknown) {
    task ??= make(getTaskDeps(telemetry));
    return task(event);
  });
}
