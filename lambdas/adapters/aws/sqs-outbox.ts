import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { PartnerEvent, SimulatorOutbox } from '../../ports';

/** SQS allows at most 15 minutes of delay per message; longer waits are chained by the consumer. */
export const maxDelaySeconds = 900;

export interface OutboxMessage {
  readonly event: PartnerEvent;
  /** When the simulated partner sends the event (its business time). */
  readonly dueAt: string;
  /** Delay still to wait after this message is received, in seconds. */
  readonly remainingSeconds: number;
}

/** Sandbox mode: simulated partners' answers, delayed on an SQS queue until they are due. */
export class SqsSimulatorOutbox implements SimulatorOutbox {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = new SQSClient({}),
  ) {}

  async schedule(event: PartnerEvent, dueAt: string, now: string): Promise<void> {
    const delay = Math.max(0, Math.ceil((Date.parse(dueAt) - Date.parse(now)) / 1000));
    await this.send({ event, dueAt, remainingSeconds: delay });
  }

  async send(message: OutboxMessage): Promise<void> {
    const delay = Math.min(maxDelaySeconds, message.remainingSeconds);
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        DelaySeconds: delay,
        MessageBody: JSON.stringify({ ...message, remainingSeconds: message.remainingSeconds - delay }),
      }),
    );
  }
}
