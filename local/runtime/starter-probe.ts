import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { sources } from '../../lambdas/contracts';
import { queues } from '../../lambdas/manifest';
import { releaseDetail } from '../scenario/orders';
import { names, type LocalRuntime } from './runtime';

/** The queue that buffers order releases in front of the starter (EventBridge -> SQS -> starter). */
export const releaseQueue = queues.find((q) => q.consumer === 'OrderStarter')!;

export interface StarterProbe {
  /** Executions started, by ARN, with how many times each was started (1 unless something doubled). */
  readonly started: Map<string, number>;
  /** Starter invocations running now, and the most at once so far. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** The deepest the release queue has been (sampled). */
  readonly peakDepth: number;
  /** Messages waiting in the release queue now. */
  depth(): number;
  stop(): void;
}

/**
 * Measures the burst buffer from outside, for the burst test and `npm run burst`: concurrent starter
 * invocations (wrapping the runtime's Lambda runner), executions started (the engine's events) and
 * the release queue's depth, sampled every `sampleMs`.
 */
export function probeStarter(runtime: LocalRuntime, sampleMs = 10): StarterProbe {
  const started = new Map<string, number>();
  const probe = {
    started,
    inFlight: 0,
    maxInFlight: 0,
    peakDepth: 0,
    depth: () => runtime.sqs.depth(releaseQueue.id),
    stop: () => clearInterval(sample),
  };
  const invoke = runtime.runner.invoke.bind(runtime.runner);
  runtime.runner.invoke = async (name, event) => {
    const starter = name === releaseQueue.consumer;
    if (starter) probe.maxInFlight = Math.max(probe.maxInFlight, ++probe.inFlight);
    try {
      return await invoke(name, event);
    } finally {
      if (starter) probe.inFlight--;
    }
  };
  runtime.engine.onEvent(({ event, executionArn }) => {
    if (event.type === 'ExecutionStarted') started.set(executionArn, (started.get(executionArn) ?? 0) + 1);
  });
  const sample = setInterval(() => (probe.peakDepth = Math.max(probe.peakDepth, probe.depth())), sampleMs);
  return probe;
}

/** The ERP's OrderReleased for `order` as a PutEvents entry (event id `erp-release-<orderId>`, so a re-send is a duplicate). */
export function releaseEntry(order: { orderId: string }, at: string): PutEventsRequestEntry {
  return { EventBusName: names.bus, Source: sources.erp, DetailType: 'OrderReleased', Detail: JSON.stringify(releaseDetail(order, at, 'erp')) };
}
