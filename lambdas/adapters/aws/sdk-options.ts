import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

type Logger = NonNullable<DynamoDBClientConfig['logger']>;

/**
 * What every AWS SDK client of the product is built with.
 *
 * `logger`: the SDK's logger middleware builds a copy of every request and response, with sensitive
 * fields masked, to pass to `logger.info` (and of every failed request, for `logger.error`), even
 * when the logger does nothing, which is the default. It calls them as `logger?.info?.(...)`, so a
 * logger without those two methods skips that work: a few percent of the CPU of a busy function.
 * Like the default logger, it prints nothing; failures still reach the caller as errors.
 */
export const sdkClientOptions = {
  logger: { trace() {}, debug() {}, warn() {} } as unknown as Logger,
};
