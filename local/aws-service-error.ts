/** An error a local service answers with: `name` is the AWS error code the SDK and CLI show. */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}
