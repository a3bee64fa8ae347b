/**
 * Errors of the SFN API. `name` is the AWS error code, so the HTTP edge can put it in
 * `__type` unchanged and SDK clients raise the same exception class as against AWS.
 */
export class SfnApiError extends Error {
  /** HTTP status the edge should answer with. */
  readonly statusCode: number = 400;
  constructor(code: string, message: string) {
    super(message);
    this.name = code;
  }
}

function define(code: string) {
  return class extends SfnApiError {
    constructor(message: string) {
      super(code, message);
    }
  };
}

export const StateMachineDoesNotExist = define('StateMachineDoesNotExist');
export const StateMachineAlreadyExists = define('StateMachineAlreadyExists');
export const StateMachineDeleting = define('StateMachineDeleting');
export const ExecutionDoesNotExist = define('ExecutionDoesNotExist');
export const ExecutionAlreadyExists = define('ExecutionAlreadyExists');
export const ExecutionLimitExceeded = define('ExecutionLimitExceeded');
export const InvalidArn = define('InvalidArn');
export const InvalidDefinition = define('InvalidDefinition');
export const InvalidName = define('InvalidName');
export const InvalidExecutionInput = define('InvalidExecutionInput');
export const InvalidToken = define('InvalidToken');
export const InvalidOutput = define('InvalidOutput');
export const TaskDoesNotExist = define('TaskDoesNotExist');
export const TaskTimedOut = define('TaskTimedOut');
export const ValidationException = define('ValidationException');
export const InvalidLoggingConfiguration = define('InvalidLoggingConfiguration');
