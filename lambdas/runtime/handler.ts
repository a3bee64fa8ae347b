import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricUnit as Unit } from '@aws-lambda-powertools/metrics/types';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import type { MetricSink } from '../insights/live-metrics';
import type { Telemetry } from '../ports';
import type { TaskDeps } from '../tasks/deps';
import { getTaskDeps } from './compose';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'logistics-orchestrator' });
/**
 * The tracer is loaded only when tracing is on: the X-Ray SDK behind it installs async hooks on
 * every promise at import, a cost worth paying on AWS (X-Ray) but not where tracing is off
 * (POWERTOOLS_TRACE_ENABLED=false, Powertools' own switch).
 */
export const tracer: Tracer | undefined =
  process.env.POWERTOOLS_TRACE_ENABLED === 'false'
    ? undefined
    : // eslint-disable-next-line @typescript-eslint/no-require-imports
      new (require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer')).Tracer({
        serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'logistics-orchestrator',
      });

function tracing(): middy.MiddlewareObj {
  if (!tracer) return { before: () => undefined };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { captureLambdaHandler } = require('@aws-lambda-powertools/tracer/middleware') as typeof import('@aws-lambda-powertools/tracer/middleware');
  return captureLambdaHandler(tracer);
}
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'LogisticsOrchestrator' });

/**
 * One metric with dimensions of its own, emitted at once (EMF). A single-metric object publishes
 * and clears its dimensions as soon as its metric is added, so one object serves every call: the
 * calls are synchronous, and building a new one each time (a console, the environment read again)
 * cost more than the metric.
 */
let single: Metrics | undefined;
function emitSingle(name: string, unit: Unit, value: number, dimensions: Record<string, string>) {
  single ??= metrics.singleMetric();
  for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
  single.addMetric(name, unit, value);
}

export const telemetry: Telemetry = {
  count(name, value = 1, dimensions) {
    if (!dimensions) {
      metrics.addMetric(name, MetricUnit.Count, value);
      return;
    }
    // Dimensions apply to one metric only: a single-metric object keeps them off the function's other metrics.
    emitSingle(name, MetricUnit.Count, value, dimensions);
  },
};

/** Process metrics (lambdas/insights/live-metrics.ts) as Powertools single metrics, each with its dimensions and unit. */
export const processMetricSink: MetricSink = {
  emit(datum) {
    emitSingle(datum.name, datum.unit === 'Seconds' ? MetricUnit.Seconds : MetricUnit.Count, datum.value, datum.dimensions ?? {});
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
  return middy(fn).use(injectLambdaContext(logger, { resetKeys: true })).use(tracing()).use(flushMetrics);
}

/**
 * A workflow task handler: the state machine's payload goes to the task built from the injected
 * ports. Errors propagate with their class name, which Step Functions sees as the error name.
 */
export function taskHandler<R>(make: (deps: TaskDeps) => (input: unknown) => Promise<R>) {
  let task: ((input: unknown) => Promise<R>) | undefined;
  return withPowertools(async function runTask(event: unknown) {
    task ??= make(getTaskDeps(telemetry, processMetricSink));
    return task(event);
  });
}
