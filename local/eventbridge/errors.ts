/**
 * Errors raised by the local EventBridge library.
 *
 * `name` carries AWS's error code (`InvalidEventPatternException`, `ValidationException`,
 * `ResourceNotFoundException`, ...) so an HTTP edge can put it on the wire unchanged
 * (`__type` / `x-amzn-ErrorType`) without a mapping table that could drift.
 */
export class EventBridgeError extends Error {
  constructor(
    /** AWS's error code, also exposed as `name`. */
    public readonly code: string,
    message: string,
    /** The HTTP status AWS answers this error with. */
    public readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** The prefix AWS puts before every reason an event pattern is refused for. */
export const PATTERN_ERROR_PREFIX = 'Event pattern is not valid. Reason: ';

export function invalidPattern(reason: string): EventBridgeError {
  return new EventBridgeError('InvalidEventPatternException', PATTERN_ERROR_PREFIX + reason);
}

export function validationError(message: string): EventBridgeError {
  return new EventBridgeError('ValidationException', message);
}

export function resourceNotFound(message: string): EventBridgeError {
  return new EventBridgeError('ResourceNotFoundException', message);
}

export function resourceAlreadyExists(message: string): EventBridgeError {
  return new EventBridgeError('ResourceAlreadyExistsException', message);
}

export function isEventBridgeError(e: unknown, code?: string): e is EventBridgeError {
  return e instanceof EventBridgeError && (code === undefined || e.code === code);
}
