/**
 * Error classes whose `name` is matched by the state machine's Retry and Catch `ErrorEquals`.
 * Retryable and non-retryable failures are different classes so the workflow can tell them apart.
 * (A Lambda error reaches Step Functions with `errorType` = the error's `name`.)
 */

abstract class WorkflowError extends Error {
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A partner system timed out, answered 5xx or throttled: worth retrying with backoff. */
export class SystemUnavailable extends WorkflowError {
  readonly retryable = true;
  constructor(
    readonly system: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${system}: ${message}`, options);
  }
}

/** A partner system refused the request (4xx other than throttling): retrying would not help. */
export class PartnerRequestRejected extends WorkflowError {
  readonly retryable = false;
  constructor(
    readonly system: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${system}: ${message}`, options);
  }
}

/** Another writer changed the order between our read and our write (optimistic lock). */
export class ConcurrentUpdate extends WorkflowError {
  readonly retryable = true;
}

/** The order was cancelled; the workflow compensates and ends. */
export class OrderCancelled extends WorkflowError {
  readonly retryable = false;
}

/** The workflow asked about an order the store does not know. */
export class OrderNotFound extends WorkflowError {
  readonly retryable = false;
}

/** Input to a task did not match its contract (a bug or a bad redrive input, not a partner failure). */
export class InvalidTaskInput extends WorkflowError {
  readonly retryable = false;
}

/** Error names the ASL retries with backoff and jitter. */
export const retryableErrorNames = ['SystemUnavailable', 'ConcurrentUpdate'] as const;
