import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { getStarterDeps } from '../runtime/compose';
import { logger, telemetry, withPowertools } from '../runtime/handler';
import { makeStartOrder } from '../tasks/start-order';

let startOrder: ReturnType<typeof makeStartOrder> | undefined;

/**
 * Consumes buffered order releases (EventBridge → SQS). Bounded concurrency on the event-source
 * mapping keeps StartExecution inside its quota; a failed record is retried alone
 * (ReportBatchItemFailures) and reaches the dead-letter queue after maxReceiveCount.
 */
export const handler = withPowertools(async function startOrders(event: SQSEvent): Promise<SQSBatchResponse> {
  startOrder ??= makeStartOrder(getStarterDeps());
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      const result = await startOrder(JSON.parse(record.body), new Date(Number(record.attributes.SentTimestamp) || Date.now()).toISOString());
      telemetry.count(result.status === 'QUARANTINED' ? 'EventQuarantined' : result.status === 'STARTED' ? 'OrderStarted' : 'DuplicateRelease');
      if (result.status === 'QUARANTINED') logger.warn('Order release quarantined', { code: result.code, reason: result.reason });
    } catch (error) {
      logger.error('Order release not started; it will be retried', { messageId: record.messageId, error: error as Error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
