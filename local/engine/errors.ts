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
