import type { z } from 'zod';
import { PartnerRequestRejected, SystemUnavailable } from '../../domain/errors';
import { type Credential, type CredentialProvider, credentialHeader, credentialValue } from './credentials';

/** The subset of `fetch` the client uses; injectable for tests and for instrumented clients. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpClientOptions {
  /** System name used in error messages (`wms`, `carrier`, …). */
  readonly system: string;
  /** Base URL of the partner API, e.g. `https://wms.example.com/api/v1`. Paths are appended to it. */
  readonly baseUrl: string;
  /** Where the credential comes from; omit for an unauthenticated API (tests, private endpoints). */
  readonly credentials?: CredentialProvider;
  /**
   * Per-call timeout. 5 s by default: partner calls are small, and 6 retries of a 5 s call still fit
   * comfortably in the workflow's retry budget, while a 30 s Lambda is not eaten by one hung call.
   */
  readonly timeoutMs?: number;
  /** Injected fetch (defaults to Node's global fetch). */
  readonly fetch?: FetchLike;
}

interface CallOptions {
  /** Query parameters; undefined values are left out. */
  readonly query?: Record<string, string | undefined>;
  /** Sent as `X-Correlation-Id` so the partner can find our calls in their logs (we pass the order id). */
  readonly correlationId?: string;
  /** Overrides the client's timeout for this call. */
  readonly timeoutMs?: number;
}

/** Options of a call that changes state: the idempotency key is required, not optional. */
export interface WriteOptions extends CallOptions {
  /**
   * Deterministic key for the operation (e.g. `tender:<tenderId>`), sent as `Idempotency-Key`. A
   * Step Functions retry repeats the call with the same key, so the partner can recognise it and
   * return the first result instead of acting twice.
   */
  readonly idempotencyKey: string;
  readonly body?: unknown;
}

/** Per-call timeout when none is configured. */
export const defaultTimeoutMs = 5_000;

/** Longest excerpt of a partner's error body kept in an error message. */
const maxDetailLength = 300;

/**
 * A small JSON-over-HTTP client for partner APIs, shared by the HTTP adapters.
 *
 * It deliberately does not retry. Every adapter call runs inside a Lambda task whose Step Functions
 * Retry (SystemUnavailable: up to 6 retries, exponential backoff, full jitter, capped at 120 s) already
 * handles transient failures: retrying here as well would multiply attempts (6 × n), keep the
 * Lambda running (and billed) while it sleeps, risk the function timeout, and hide the retries from
 * the execution history. So the client's job is to classify each failure correctly:
 *
 * - timeout, network error, 5xx, 429 → {@link SystemUnavailable} (retryable)
 * - other 4xx, redirects, unparseable or non-conforming JSON → {@link PartnerRequestRejected}
 *
 * Error messages name the system, method, path (without query) and status, and never contain the
 * credential (it is redacted even if a partner echoes it back).
 */
export class HttpClient {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetch: FetchLike;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  get system(): string {
    return this.options.system;
  }

  /** GET a JSON resource and validate it against `schema`. */
  async get<S extends z.ZodType>(path: string, schema: S, options: CallOptions = {}): Promise<z.output<S>> {
    return (await this.call('GET', path, options, schema)) as z.output<S>;
  }

  /** POST a JSON body; with a schema the response is parsed and validated, without one it is ignored. */
  post<S extends z.ZodType>(path: string, options: WriteOptions, schema: S): Promise<z.output<S>>;
  post(path: string, options: WriteOptions): Promise<void>;
  async post(path: string, options: WriteOptions, schema?: z.ZodType): Promise<unknown> {
    return this.call('POST', path, options, schema);
  }

  /** PUT a JSON body (a full replacement of the resource); the response body is ignored. */
  async put(path: string, options: WriteOptions): Promise<void> {
    await this.call('PUT', path, options);
  }

  /**
   * DELETE a resource. With `notFoundIsSuccess`, a 404 counts as done: compensations are
   * idempotent, and "already gone" (or "never created") is the state they want.
   */
  async delete(path: string, options: WriteOptions & { readonly notFoundIsSuccess?: boolean }): Promise<void> {
    await this.call('DELETE', path, options);
  }

  private async call(method: string, path: string, options: CallOptions & Partial<WriteOptions> & { notFoundIsSuccess?: boolean }, schema?: z.ZodType): Promise<unknown> {
    const where = `${method} ${path}`;
    const credential = await this.options.credentials?.get();
    const redact = redactor(credential);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (credential) {
      const [name, value] = credentialHeader(credential);
      headers[name] = value;
    }
    if (options.idempotencyKey !== undefined) headers['Idempotency-Key'] = options.idempotencyKey;
    if (options.correlationId !== undefined) headers['X-Correlation-Id'] = options.correlationId;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }

    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let response: Response;
    let text: string;
    try {
      // The signal also covers reading the body, so a server that sends headers and then stalls times out too.
      // Redirects are not followed: a redirected partner API is a configuration problem, and following
      // one would send the credential header to wherever it points.
      response = await this.fetch(this.url(path, options.query), { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (error) {
      const reason = isTimeout(error) ? `timed out after ${timeoutMs} ms` : `network error (${networkReason(error)})`;
      // The cause is kept for logs unless it quotes the credential (undici's invalid-header error does).
      const described = `${String(error)} ${String((error as { cause?: unknown } | undefined)?.cause ?? '')}`;
      const cause = redact(described) === described ? error : undefined;
      throw new SystemUnavailable(this.system, redact(`${where} ${reason}`), { cause });
    }

    const { status } = response;
    if (status === 404 && options.notFoundIsSuccess) return undefined;
    if (status === 429 || status >= 500) {
      const retryAfter = response.headers.get('retry-after');
      const after = retryAfter ? `, retry after ${retryAfter.slice(0, 40)}` : '';
      throw new SystemUnavailable(this.system, redact(`${where} failed with status ${status}${after}${detailOf(text)}`));
    }
    if (status === 401 && credential) await this.checkRotated(credential, where, redact, text);
    if (status < 200 || status >= 300) {
      throw new PartnerRequestRejected(this.system, redact(`${where} was rejected with status ${status}${detailOf(text)}`));
    }

    if (!schema) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PartnerRequestRejected(this.system, `${where} answered status ${status} with a body that is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length ? issue.path.join('.') : '(body)';
      throw new PartnerRequestRejected(this.system, redact(`${where} answered with an invalid response: field "${field}": ${issue.message}`));
    }
    return parsed.data;
  }

  /**
   * A 401 may mean the secret was rotated after we cached it. Drop the cache and read it again: if
   * it changed, the call is worth retrying (Step Functions will, with the new value); if it did not,
   * the partner really refuses our credential and a retry would not help.
   */
  private async checkRotated(used: Credential, where: string, redact: (s: string) => string, text: string): Promise<void> {
    const provider = this.options.credentials!;
    provider.invalidate();
    let current: Credential;
    try {
      current = await provider.get();
    } catch {
      return; // The re-read failed: report the 401 itself.
    }
    if (credentialValue(current) !== credentialValue(used)) {
      throw new SystemUnavailable(this.system, redact(`${where} was rejected with status 401 using a credential that has since been rotated${detailOf(text)}`));
    }
  }

  private url(path: string, query?: Record<string, string | undefined>): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.append(key, value);
    const qs = params.toString();
    return `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}${qs ? `?${qs}` : ''}`;
  }
}

/** Encodes one path segment (ids are validated upstream, but a partner URL must never be built from raw input). */
export function segment(value: string): string {
  return encodeURIComponent(value);
}

function redactor(credential: Credential | undefined): (s: string) => string {
  const secret = credential ? credentialValue(credential) : '';
  // Very short values could match innocent text; real keys are long, but redact anything of 4+ characters.
  return secret.length >= 4 ? (s) => s.split(secret).join('[redacted]') : (s) => s;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Node's fetch fails with `TypeError: fetch failed`; the useful part (ECONNREFUSED, …) is in the cause. */
function networkReason(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } } | undefined;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

/** A short excerpt of a partner's error body: its `message`/`error` field if JSON, else the text. */
function detailOf(text: string): string {
  if (!text) return '';
  let detail = text;
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown; code?: unknown };
    const pick = [json.code, json.message ?? json.error].filter((v) => typeof v === 'string' && v).join(': ');
    if (pick) detail = pick;
  } catch {
    // Not JSON: keep the text.
  }
  detail = detail.replace(/\s+/g, ' ').trim();
  return detail ? `: ${detail.length > maxDetailLength ? `${detail.slice(0, maxDetailLength)}…` : detail}` : '';
}
