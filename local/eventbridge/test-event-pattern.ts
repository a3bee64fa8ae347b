/**
 * TestEventPattern: the pattern is validated first (InvalidEventPatternException), then the
 * event (ValidationException), then the two are matched.
 */
import { validationError } from './errors';
import { compileEventPattern, flattenEvent, matchCompiled } from './pattern';

export interface TestEventPatternInput {
  Event: string;
  EventPattern: string;
}

/**
 * The envelope fields AWS insists on. Its API reference also lists `resources`, but the service
 * accepts events without it, so it is not enforced here either.
 */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export function testEventPattern(input: TestEventPatternInput): { Result: boolean } {
  const pattern = compileEventPattern(input.EventPattern);
  let event: unknown;
  try {
    event = JSON.parse(input.Event);
  } catch {
    throw validationError('Parameter Event is not valid.');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw validationError('Parameter Event is not valid.');
  }
  for (const field of REQUIRED_EVENT_FIELDS) {
    if (!(field in event)) throw validationError('Parameter Event is not valid.');
  }
  return { Result: matchCompiled(pattern, flattenEvent(event)) };
}
