import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

export type Handler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunction {
  readonly name: string;
  readonly handler: Handler;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
}

/** What Lambda's Invoke returns: the payload, or the error body with `functionError` set. */
export interface InvokeResult {
  readonly statusCode: number;
  readonly payload: unknown;
  readonly functionError?: 'Unhandled';
  readonly executedVersion: string;
}

export class ResourceNotFound extends Error {
  constructor(name: string) {
    super(`Function not found: ${name}`);
    this.name = 'ResourceNotFoundException';
  }
}

/**
 * Runs handlers in-process the way Lambda does: a Lambda-like context, a timeout, and errors
 * turned into Lambda's error body (`errorType` is the error's name, which Step Functions matches).
 */
export class LambdaRunner {
  private readonly functions = new Map<string, LocalFunction>();
  private readonly counts = new Map<string, number>();

  constructor(private readonly options: { region?: string; accountId?: string } = {}) {}

  arnOf(name: string): string {
    return `arn:aws:lambda:${this.options.region ?? 'us-east-1'}:${this.options.accountId ?? '000000000000'}:function:${name}`;
  }

  register(fn: LocalFunction): string {
    this.functions.set(fn.name, fn);
    return this.arnOf(fn.name);
  }

  has(nameOrArn: string): boolean {
    return this.functions.has(nameOf(nameOrArn));
  }

  /** Invocations per function so far (for reports and benchmarks). */
  invocations(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  async invoke(nameOrArn: string, event: unknown): Promise<InvokeResult> {
    const name = nameOf(nameOrArn);
    const fn = this.functions.get(name);
    if (!fn) throw new ResourceNotFound(nameOrArn);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    const timeoutMs = (fn.timeoutSeconds ?? 30) * 1000;
    const deadline = Date.now() + timeoutMs;
    const requestId = randomUUID();
    const context: Context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: this.arnOf(name),
      memoryLimitInMB: String(fn.memoryMb ?? 256),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: `local/${requestId}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      // A round trip through JSON, as over the wire: handlers never share objects with the caller.
      const input = event === undefined ? {} : JSON.parse(JSON.stringify(event));
      const result = await Promise.race([
        fn.handler(input, context),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`), { name: 'Sandbox.Timedout' })), timeoutMs);
          timer.unref?.();
        }),
      ]);
      return { statusCode: 200, payload: result === undefined ? null : JSON.parse(JSON.stringify(result)), executedVersion: '$LATEST' };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return {
        statusCode: 200,
        functionError: 'Unhandled',
        executedVersion: '$LATEST',
        payload: { errorType: e.name || 'Error', errorMessage: e.message, trace: (e.stack ?? '').split('\n') },
      };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}

function nameOf(nameOrArn: string): string {
  if (!nameOrArn.startsWith('arn:')) return nameOrArn.split(':')[0]!;
  const parts = nameOrArn.split(':');
  return parts[6] ?? nameOrArn;
}
