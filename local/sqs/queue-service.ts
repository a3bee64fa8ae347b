import { createHash, randomUUID } from 'node:crypto';
import { realTimerClock, type TimerClock } from '../timer-clock';
import { SqsError } from './errors';

/** A queued message as a journal keeps it (and `restore` takes it back). */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly attributes: Record<string, unknown> | undefined;
  readonly sentAt: number;
  readonly visibleAt: number;
}

/** One message as SQS holds it. */
interface StoredMessage extends Omit<QueuedMessage, 'visibleAt'> {
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
}

interface Queue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly createdAt: number;
  attributes: Record<string, string>;
  messages: StoredMessage[];
  /** Long-poll receivers waiting for a message. */
  waiters: Array<() => void>;
}

export interface SqsMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes: Record<string, string>;
  MessageAttributes?: Record<string, unknown>;
}

/** Where a queue service records what it accepted and deleted, so a restart can restore it (see local/runtime/journal.ts). */
export interface QueueJournal {
  messageSent(queue: string, message: QueuedMessage): void;
  messageDeleted(queue: string, messageId: string): void;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const defaults: Record<string, string> = {
  VisibilityTimeout: '30',
  DelaySeconds: '0',
  MessageRetentionPeriod: '345600',
  MaximumMessageSize: '262144',
  ReceiveMessageWaitTimeSeconds: '0',
};

/**
 * A local SQS with the semantics the product relies on: delay, visibility timeout, receive counts,
 * a redrive policy to a dead-letter queue after maxReceiveCount, long polling, batch operations.
 * Time comes from the shared clock, so a simulated day moves delays and visibility too.
 */
export class QueueService {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly options: { endpoint: string; region?: string; accountId?: string; clock?: TimerClock; journal?: QueueJournal } = { endpoint: 'http://127.0.0.1:4566' },
  ) {}

  /** Puts back a message a journal kept (after a restart): visible at once unless it was delayed. */
  restore(ref: string, message: QueuedMessage): void {
    const queue = this.resolve(ref);
    this.enqueue(queue, { ...message, visibleAt: Math.max(message.visibleAt, this.clock.now()), receiveCount: 0 });
  }

  /** Adds a message to a queue, journals it and wakes a receiver for when it is visible. */
  private enqueue(queue: Queue, message: StoredMessage): void {
    queue.messages.push(message);
    this.options.journal?.messageSent(queue.name, message);
    this.wake(queue, message.visibleAt);
  }

  private get clock(): TimerClock {
    return this.options.clock ?? realTimerClock;
  }
  private get region() {
    return this.options.region ?? 'us-east-1';
  }
  private get account() {
    return this.options.accountId ?? '000000000000';
  }

  createQueue(input: { QueueName: string; Attributes?: Record<string, string> }): { QueueUrl: string } {
    const name = input.QueueName;
    if (!name || !/^[A-Za-z0-9_-]{1,80}(\.fifo)?$/.test(name)) {
      throw new SqsError('InvalidParameterValue', 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    }
    const existing = this.queues.get(name);
    if (existing) return { QueueUrl: existing.url };
    const url = `${this.options.endpoint}/${this.account}/${name}`;
    this.queues.set(name, {
      name,
      url,
      arn: `arn:aws:sqs:${this.region}:${this.account}:${name}`,
      createdAt: this.clock.now(),
      attributes: { ...defaults, ...(input.Attributes ?? {}) },
      messages: [],
      waiters: [],
    });
    return { QueueUrl: url };
  }

  getQueueUrl(input: { QueueName: string }): { QueueUrl: string } {
    const queue = this.queues.get(input.QueueName);
    if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return { QueueUrl: queue.url };
  }

  listQueues(input: { QueueNamePrefix?: string } = {}): { QueueUrls: string[] } {
    return { QueueUrls: [...this.queues.values()].filter((q) => q.name.startsWith(input.QueueNamePrefix ?? '')).map((q) => q.url) };
  }

  /** Finds a queue by URL, ARN or name. */
  resolve(ref: string): Queue {
    const name = ref.includes('/') ? ref.slice(ref.lastIndexOf('/') + 1) : ref.startsWith('arn:') ? ref.split(':').pop()! : ref;
    const queue = this.queues.get(name);
    if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  arnOf(ref: string): string {
    return this.resolve(ref).arn;
  }

  sendMessage(input: { QueueUrl: string; MessageBody: string; DelaySeconds?: number; MessageAttributes?: Record<string, unknown> }) {
    const queue = this.resolve(input.QueueUrl);
    if (typeof input.MessageBody !== 'string' || input.MessageBody.length === 0) {
      throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    }
    const max = Number(queue.attributes.MaximumMessageSize);
    if (Buffer.byteLength(input.MessageBody) > max) {
      throw new SqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
    }
    const delay = input.DelaySeconds ?? Number(queue.attributes.DelaySeconds);
    if (!Number.isInteger(delay) || delay < 0 || delay > 900) {
      throw new SqsError('InvalidParameterValue', `Value ${delay} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`);
    }
    const now = this.clock.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.MessageBody,
      md5OfBody: md5(input.MessageBody),
      attributes: input.MessageAttributes,
      sentAt: now,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
    };
    this.enqueue(queue, message);
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
  }

  sendMessageBatch(input: { QueueUrl: string; Entries: Array<{ Id: string; MessageBody: string; DelaySeconds?: number; MessageAttributes?: Record<string, unknown> }> }) {
    if (!input.Entries?.length) throw new SqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
    if (input.Entries.length > 10) throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${input.Entries.length}.`);
    const Successful: Array<{ Id: string; MessageId: string; MD5OfMessageBody: string }> = [];
    const Failed: Array<{ Id: string; Code: string; Message: string; SenderFault: boolean }> = [];
    for (const entry of input.Entries) {
      try {
        Successful.push({ Id: entry.Id, ...this.sendMessage({ QueueUrl: input.QueueUrl, ...entry }) });
      } catch (error) {
        const e = error as SqsError;
        Failed.push({ Id: entry.Id, Code: e.code, Message: e.message, SenderFault: true });
      }
    }
    return { Successful, Failed };
  }

  async receiveMessage(input: { QueueUrl: string; MaxNumberOfMessages?: number; VisibilityTimeout?: number; WaitTimeSeconds?: number }): Promise<{ Messages?: SqsMessage[] }> {
    const queue = this.resolve(input.QueueUrl);
    const max = input.MaxNumberOfMessages ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw new SqsError('InvalidParameterValue', `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
    }
    const wait = input.WaitTimeSeconds ?? Number(queue.attributes.ReceiveMessageWaitTimeSeconds);
    let messages = this.take(queue, max, input.VisibilityTimeout);
    if (messages.length === 0 && wait > 0) {
      await new Promise<void>((resolve) => {
        const timer = this.clock.setTimer(this.clock.now() + wait * 1000, done);
        function done() {
          timer?.cancel();
          resolve();
        }
        queue.waiters.push(done);
      });
      messages = this.take(queue, max, input.VisibilityTimeout);
    }
    return messages.length ? { Messages: messages } : {};
  }

  /** A receive without long polling, answered at once (for event-source mappings). */
  receiveNow(input: { QueueUrl: string; MaxNumberOfMessages?: number; VisibilityTimeout?: number }): { Messages?: SqsMessage[] } {
    const messages = this.take(this.resolve(input.QueueUrl), input.MaxNumberOfMessages ?? 1, input.VisibilityTimeout);
    return messages.length ? { Messages: messages } : {};
  }

  deleteMessage(input: { QueueUrl: string; ReceiptHandle: string }): void {
    const queue = this.resolve(input.QueueUrl);
    const index = queue.messages.findIndex((m) => m.receiptHandle === input.ReceiptHandle);
    if (index >= 0) {
      // Not inside the optional call: without a journal its arguments (the splice) would not run.
      const [deleted] = queue.messages.splice(index, 1);
      this.options.journal?.messageDeleted(queue.name, deleted!.messageId);
    } else if (!input.ReceiptHandle) throw new SqsError('ReceiptHandleIsInvalid', 'The input receipt handle is invalid.');
  }

  deleteMessageBatch(input: { QueueUrl: string; Entries: Array<{ Id: string; ReceiptHandle: string }> }) {
    const Successful: Array<{ Id: string }> = [];
    for (const entry of input.Entries ?? []) {
      this.deleteMessage({ QueueUrl: input.QueueUrl, ReceiptHandle: entry.ReceiptHandle });
      Successful.push({ Id: entry.Id });
    }
    return { Successful, Failed: [] };
  }

  changeMessageVisibility(input: { QueueUrl: string; ReceiptHandle: string; VisibilityTimeout: number }): void {
    const queue = this.resolve(input.QueueUrl);
    const message = queue.messages.find((m) => m.receiptHandle === input.ReceiptHandle);
    if (!message) throw new SqsError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    message.visibleAt = this.clock.now() + input.VisibilityTimeout * 1000;
    this.wake(queue, message.visibleAt);
  }

  getQueueAttributes(input: { QueueUrl: string; AttributeNames?: string[] }): { Attributes: Record<string, string> } {
    const queue = this.resolve(input.QueueUrl);
    const now = this.clock.now();
    const visible = queue.messages.filter((m) => m.visibleAt <= now).length;
    const all: Record<string, string> = {
      ...queue.attributes,
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(visible),
      ApproximateNumberOfMessagesNotVisible: String(queue.messages.filter((m) => m.visibleAt > now && m.receiveCount > 0).length),
      ApproximateNumberOfMessagesDelayed: String(queue.messages.filter((m) => m.visibleAt > now && m.receiveCount === 0).length),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    };
    const names = input.AttributeNames ?? ['All'];
    return { Attributes: names.includes('All') ? all : Object.fromEntries(names.filter((n) => n in all).map((n) => [n, all[n]!])) };
  }

  setQueueAttributes(input: { QueueUrl: string; Attributes: Record<string, string> }): void {
    const queue = this.resolve(input.QueueUrl);
    queue.attributes = { ...queue.attributes, ...input.Attributes };
  }

  purgeQueue(input: { QueueUrl: string }): void {
    const queue = this.resolve(input.QueueUrl);
    for (const m of queue.messages) this.options.journal?.messageDeleted(queue.name, m.messageId);
    queue.messages = [];
  }

  /** Messages in a queue (for reports and tests): visible, in flight or delayed. */
  depth(ref: string): number {
    return this.resolve(ref).messages.length;
  }

  /** Resolves when a message may be visible, for pollers: the earliest visibility time, or undefined if empty. */
  nextVisibleAt(ref: string): number | undefined {
    const times = this.resolve(ref).messages.map((m) => m.visibleAt);
    return times.length ? Math.min(...times) : undefined;
  }

  /** Registers a callback woken when a message may have become visible (for event-source mappings). */
  onAvailable(ref: string, fn: () => void): void {
    this.resolve(ref).waiters.push(fn);
  }

  private take(queue: Queue, max: number, visibilityTimeout?: number): SqsMessage[] {
    const now = this.clock.now();
    const visibility = (visibilityTimeout ?? Number(queue.attributes.VisibilityTimeout)) * 1000;
    const redrive = queue.attributes.RedrivePolicy ? (JSON.parse(queue.attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number | string }) : undefined;
    const out: SqsMessage[] = [];
    for (const message of [...queue.messages]) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      if (redrive && message.receiveCount >= Number(redrive.maxReceiveCount)) {
        // Received maxReceiveCount times without being deleted: it moves to the dead-letter queue.
        queue.messages.splice(queue.messages.indexOf(message), 1);
        const dlq = this.resolve(redrive.deadLetterTargetArn);
        const moved = { ...message, visibleAt: now, receiveCount: 0, receiptHandle: undefined };
        dlq.messages.push(moved);
        this.options.journal?.messageSent(dlq.name, moved);
        this.options.journal?.messageDeleted(queue.name, message.messageId);
        this.wake(dlq, now);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibility;
      message.receiptHandle = `${message.messageId}#${message.receiveCount}#${randomUUID()}`;
      this.wake(queue, message.visibleAt);
      out.push({
        MessageId: message.messageId,
        ReceiptHandle: message.receiptHandle,
        MD5OfBody: message.md5OfBody,
        Body: message.body,
        Attributes: {
          ApproximateReceiveCount: String(message.receiveCount),
          SentTimestamp: String(message.sentAt),
          ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
        },
        ...(message.attributes ? { MessageAttributes: message.attributes } : {}),
      });
    }
    return out;
  }

  /** Wakes waiters now, or when a message becomes visible. */
  private wake(queue: Queue, atMs: number): void {
    const run = () => {
      const waiters = queue.waiters.splice(0);
      for (const w of waiters) w();
    };
    if (atMs <= this.clock.now()) queueMicrotask(run);
    else this.clock.setTimer(atMs, run);
  }
}
