/**
 * An error in the States Language sense: `error` is the name matched by Retry/Catch `ErrorEquals`
 * (for example `States.Runtime`), `cause` is the human-readable text AWS reports with it.
 */
export class StatesError extends Error {
  constructor(
    public readonly error: string,
    public override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }
}

/** A state's output or a task's result over the payload quota; `source` is the state name or the task's resource. */
export function dataLimitExceeded(source: string): StatesError {
  return new StatesError('States.DataLimitExceeded', `The state/task '${source}' returned a result with a size exceeding the maximum number of bytes service limit.`);
}
