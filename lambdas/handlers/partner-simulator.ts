import type { SQSEvent } from 'aws-lambda';
import type { OutboxMessage } from '../adapters/aws/sqs-outbox';
import { getPartnerSimulatorDeps } from '../runtime/compose';
import { withPowertools } from '../runtime/handler';

let deps: ReturnType<typeof getPartnerSimulatorDeps> | undefined;

/**
 * Sandbox mode: publishes simulated partners' answers when they are due. SQS delays a message at
 * most 15 minutes, so a longer wait is re-queued for the remainder instead of reading a clock.
 */
export const handler = withPowertools(async function publishDueEvents(event: SQSEvent) {
  deps ??= getPartnerSimulatorDeps();
  const due: (OutboxMessage['event'] & { time: string })[] = [];
  for (const record of event.Records) {
    const message = JSON.parse(record.body) as OutboxMessage;
    if (message.remainingSeconds > 0) await deps.outbox.send(message);
    else due.push({ ...message.event, time: message.dueAt });
  }
  await deps.publisher.put(due);
});
