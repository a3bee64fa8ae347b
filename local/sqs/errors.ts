import { AwsServiceError } from '../aws-service-error';

/** An SQS API error: `name` is the AWS error code the SDK and CLI show. */
export class SqsError extends AwsServiceError {}
