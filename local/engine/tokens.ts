/**
 * Task tokens: opaque, unguessable (256 random bits) and self-describing enough to tell a
 * malformed token (`InvalidToken`) from one that simply does not exist (`TaskDoesNotExist`).
 */
import { randomBytes } from 'node:crypto';

const PREFIX = 'AQB';

export function newTaskToken(): string {
  return PREFIX + randomBytes(48).toString('base64url');
}

export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && token.length >= 1 && token.length <= 2048 && token.startsWith(PREFIX) && /^[A-Za-z0-9_-]+$/.test(token);
}

export interface TokenWaiter {
  executionArn: string;
  frameId: string;
  succeed(output: unknown): void;
  fail(error: string, cause: string): void;
  heartbeat(): void;
}

/** Open tokens of running tasks, plus a memory of recently closed ones for AWS's error choice. */
export class TokenRegistry {
  private readonly open = new Map<string, TokenWaiter>();
  private readonly closed = new Map<string, 'timedOut' | 'closed'>();

  register(token: string, waiter: TokenWaiter): void {
    this.open.set(token, waiter);
  }

  get(token: string): TokenWaiter | undefined {
    return this.open.get(token);
  }

  close(token: string, how: 'timedOut' | 'closed'): void {
    this.open.delete(token);
    this.closed.set(token, how);
    if (this.closed.size > 100_000) {
      const first = this.closed.keys().next().value;
      if (first !== undefined) this.closed.delete(first);
    }
  }

  closedAs(token: string): 'timedOut' | 'closed' | undefined {
    return this.closed.get(token);
  }

  get size(): number {
    return this.open.size;
  }
}
