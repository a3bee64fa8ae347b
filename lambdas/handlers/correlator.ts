import type { EventBridgeEvent } from 'aws-lambda';
import { getTaskDeps } from '../runtime/compose';
import { logger, processMetricSink, telemetry, withPowertools } from '../runtime/handler';
import { makeCorrelateEvent } from '../tasks/correlate-event';

let correlate: ReturnType<typeof makeCorrelateEvent> | undefined;

/** EventBridge target for partner and people's events: resumes waiting workflows (see tasks/correlate-event.ts). */
export const handler = withPowertools(async function correlateEvent(event: EventBridgeEvent<string, unknown>) {
  correlate ??= makeCorrelateEvent(getTaskDeps(telemetry, processMetricSink));
  const result = await correlate(event, event.time ?? new Date().toISOString());
  telemetry.count('EventCorrelated', 1, { outcome: result.status });
  if (result.status === 'QUARANTINED') logger.warn('Event quarantined', { detailType: event['detail-type'], source: event.source, code: result.code, reason: result.reason });
  return result;
});
