import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { QueueService } from './queue-service';

export interface EventSourceMappingOptions {
  readonly queue: string;
  readonly batchSize: number;
  /** At most this many handler invocations at once (Lambda's `ScalingConfig.MaximumConcurrency`). */
  readonly maxConcurrency: number;
  readonly invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  readonly region?: string;
  readonly onError?: (error: unknown) => void;
}

/**
 * Lambda's SQS event-source mapping: polls the queue, invokes the handler with batches, deletes
 * what succeeded, and leaves failed records (the whole batch on an error, or the reported
 * `batchItemFailures`) to reappear after the visibility timeout, until the queue's redrive policy
 * moves them to the dead-letter queue.
 */
export class EventSourceMapping {
  private running = 0;
  private stopped = false;
  private inflight = new Set<Promise<void>>();

  constructor(
    private readonly sqs: QueueService,
    private readonly options: EventSourceMappingOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.pump();
  }

  stop(): void {
    this.stopped = true;
  }

  /** Resolves when no batch is being handled. */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  get busy(): boolean {
    return this.running > 0;
  }

  private pump(): void {
    if (this.stopped) return;
    while (this.running < this.options.maxConcurrency) {
      const batch = this.receive();
      if (!batch) break;
      this.running++;
      const p = this.handle(batch).finally(() => {
        this.running--;
        this.inflight.delete(p);
        this.pump();
      });
      this.inflight.add(p);
    }
    if (this.running < this.options.maxConcurrency) this.sqs.onAvailable(this.options.queue, () => this.pump());
  }

  private receive(): SQSEvent | undefined {
    const messages = this.sqs.receiveNow({ QueueUrl: this.options.queue, MaxNumberOfMessages: Math.min(10, this.options.batchSize) }).Messages;
    if (!messages?.length) return undefined;
    const arn = this.sqs.arnOf(this.options.queue);
    return {
      Records: messages.map((m) => ({
        messageId: m.MessageId,
        receiptHandle: m.ReceiptHandle,
        body: m.Body,
        attributes: m.Attributes as never,
        messageAttributes: (m.MessageAttributes ?? {}) as never,
        md5OfBody: m.MD5OfBody,
        eventSource: 'aws:sqs',
        eventSourceARN: arn,
        awsRegion: this.options.region ?? 'us-east-1',
      })),
    };
  }

  private async handle(event: SQSEvent): Promise<void> {
    let failed = new Set<string>();
    try {
      const response = await this.options.invoke(event);
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      this.options.onError?.(error);
      failed = new Set(event.Records.map((r) => r.messageId));
    }
    for (const record of event.Records) {
      if (!failed.has(record.messageId)) this.sqs.deleteMessage({ QueueUrl: this.options.queue, ReceiptHandle: record.receiptHandle });
    }
  }
}
