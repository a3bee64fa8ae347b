/**
 * At-least-once delivery of one event to one target: the attempt, retries with exponential
 * backoff and jitter within the target's `RetryPolicy`, and the dead-letter queue once retries
 * are exhausted (or at once, for an error AWS does not retry).
 *
 * Delivery goes through the caller's `deliver` function; this module only decides when to call
 * it again. Time comes from the injected clock, so a simulated clock can run a day of retries in
 * a test.
 */
import type { Clock } from './clock';

/** The target shape delivery needs (a subset of the PutTargets `Target`). */
export interface DeliveryTarget {
  Id: string;
  Arn: string;
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
  [option: string]: unknown;
}

/** What the runtime receives with every payload. */
export interface DeliveryContext {
  ruleArn: string;
  ruleName: string;
  eventBusName: string;
  eventId: string;
  /** 0 for the first attempt. */
  attempt: number;
  /** Set when this call is a dead-letter delivery: the SQS message attributes AWS adds. */
  messageAttributes?: Record<string, { DataType: 'String'; StringValue: string }>;
}

/**
 * The injected delivery function. `target.Arn` is the target to invoke (for a dead-letter
 * delivery, `{ Id, Arn: DeadLetterConfig.Arn }`). Throwing (or rejecting) marks the attempt
 * failed; throw a `DeliveryError` to give AWS's error code or to say it is not worth retrying.
 */
export type DeliverFn = (target: DeliveryTarget, payload: string, context: DeliveryContext) => void | Promise<void>;

/** A failed delivery, in AWS's vocabulary (`NO_RESOURCE`, `NO_PERMISSIONS`, `THROTTLING`...). */
export class DeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** AWS sends a missing resource or permission straight to the DLQ, without retries. */
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface DeliveryCounters {
  matched: number;
  delivered: number;
  retried: number;
  deadLettered: number;
  /** Exhausted with no dead-letter queue (AWS's `EventsDropped`), or the DLQ itself failed. */
  dropped: number;
}

export interface RetryTuning {
  /** First retry delay before jitter. */
  baseDelayMs: number;
  /** Upper bound of any one retry delay. */
  maxDelayMs: number;
  /** [0, 1), injectable for deterministic jitter. */
  random: () => number;
}

export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86400;

export interface DeliveryJob {
  target: DeliveryTarget;
  payload: string;
  /** The event as received, for the dead-letter message (AWS dead-letters the original event). */
  originalEvent: string;
  context: Omit<DeliveryContext, 'attempt' | 'messageAttributes'>;
  /** When the bus received the event (epoch ms): the start of `MaximumEventAgeInSeconds`. */
  receivedAt: number;
}

/** A job as journaled: `originalEvent` is left out when it equals `payload` (a target without input transformation). */
export type JournaledDeliveryJob = Omit<DeliveryJob, 'originalEvent'> & { originalEvent?: string };

function journaled(job: DeliveryJob): JournaledDeliveryJob {
  if (job.originalEvent !== job.payload) return job;
  const { originalEvent: _same, ...rest } = job;
  return rest;
}

/** Where the bus records deliveries it accepted and finished, so a restart can take up the unfinished ones. */
export interface DeliveryJournal {
  /** Returns the id `deliveryFinished` is given. */
  deliveryStarted(job: JournaledDeliveryJob): number;
  deliveryFinished(id: number): void;
}

/** Tracks in-flight attempts and scheduled retries so callers can wait for quiescence. */
export class DeliveryEngine {
  readonly counters: DeliveryCounters = { matched: 0, delivered: 0, retried: 0, deadLettered: 0, dropped: 0 };
  private inFlight = 0;
  private scheduled = new Set<{ cancel(): void }>();
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly deliver: DeliverFn,
    private readonly clock: Clock,
    private readonly tuning: RetryTuning,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly journal?: DeliveryJournal,
  ) {}

  private readonly journalIds = new WeakMap<DeliveryJob, number>();

  private finished(job: DeliveryJob): void {
    const id = this.journalIds.get(job);
    if (id !== undefined) this.journal!.deliveryFinished(id);
  }

  /** Starts delivery; returns at once (PutEvents does not wait for targets). */
  start(job: DeliveryJob): void {
    // The first attempt does not wait on the clock (a simulated one may not move for a while),
    // only for the caller's PutEvents to return.
    if (this.journal) this.journalIds.set(job, this.journal.deliveryStarted(journaled(job)));
    this.inFlight++;
    queueMicrotask(() => {
      this.inFlight--;
      void this.attempt(job, 0);
    });
  }

  get busy(): boolean {
    return this.inFlight > 0 || this.scheduled.size > 0;
  }

  /** Resolves when no attempt is running and no retry is scheduled. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels every scheduled retry (for shutting a bus down). */
  stop(): void {
    for (const timer of this.scheduled) timer.cancel();
    this.scheduled.clear();
    this.checkIdle();
  }

  private schedule(job: DeliveryJob, attempt: number, at: number): void {
    const timer = this.clock.setTimer(at, () => {
      this.scheduled.delete(timer);
      void this.attempt(job, attempt);
    });
    this.scheduled.add(timer);
  }

  private async attempt(job: DeliveryJob, attempt: number): Promise<void> {
    this.inFlight++;
    try {
      await this.deliver(job.target, job.payload, { ...job.context, attempt });
      this.counters.delivered++;
      this.finished(job);
    } catch (error) {
      this.failed(job, attempt, error);
    } finally {
      this.inFlight--;
      this.checkIdle();
    }
  }

  private failed(job: DeliveryJob, attempt: number, error: unknown): void {
    const policy = job.target.RetryPolicy ?? {};
    const maxAttempts = policy.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
    const maxAgeMs = (policy.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
    const retryable = !(error instanceof DeliveryError) || error.retryable;
    if (!retryable) return this.deadLetter(job, attempt, error, undefined);
    if (attempt >= maxAttempts) return this.deadLetter(job, attempt, error, 'MaximumRetryAttempts');
    const next = this.clock.now() + this.backoff(attempt);
    if (next - job.receivedAt > maxAgeMs) return this.deadLetter(job, attempt, error, 'MaximumEventAgeInSeconds');
    this.counters.retried++;
    this.schedule(job, attempt + 1, next);
  }

  /** Exponential backoff with "equal jitter": half the window fixed, half random. */
  private backoff(attempt: number): number {
    const window = Math.min(this.tuning.maxDelayMs, this.tuning.baseDelayMs * 2 ** attempt);
    return Math.round(window / 2 + this.tuning.random() * (window / 2));
  }

  private deadLetter(job: DeliveryJob, attempt: number, error: unknown, exhausted: string | undefined): void {
    const dlqArn = job.target.DeadLetterConfig?.Arn;
    if (!dlqArn) {
      this.counters.dropped++;
      this.finished(job);
      return;
    }
    const code = error instanceof DeliveryError ? error.code : 'SDK_CLIENT_ERROR';
    const message = error instanceof Error ? error.message : String(error);
    const attr = (value: string) => ({ DataType: 'String' as const, StringValue: value });
    const messageAttributes: DeliveryContext['messageAttributes'] = {
      RULE_ARN: attr(job.context.ruleArn),
      TARGET_ARN: attr(job.target.Arn),
      ERROR_CODE: attr(code),
      ERROR_MESSAGE: attr(message),
      RETRY_ATTEMPTS: attr(String(attempt)),
      ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: attr(exhausted) } : {}),
    };
    this.inFlight++;
    // The DLQ gets the original event, whatever the target's input transformation.
    Promise.resolve()
      .then(() => this.deliver({ Id: job.target.Id, Arn: dlqArn }, job.originalEvent, { ...job.context, attempt, messageAttributes }))
      .then(
        () => void this.counters.deadLettered++,
        (dlqError) => {
          this.counters.dropped++;
          this.onError(dlqError);
        },
      )
      .finally(() => {
        this.finished(job);
        this.inFlight--;
        this.checkIdle();
      });
  }

  private checkIdle(): void {
    if (this.busy) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
