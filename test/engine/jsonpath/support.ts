import { StatesError } from '../../../local/engine/errors';

/** The StatesError a call throws (anything else, or nothing, fails the test). */
export function statesError(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError');
}
