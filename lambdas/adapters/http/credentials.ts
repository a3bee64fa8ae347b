import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { PartnerRequestRejected, SystemUnavailable } from '../../domain/errors';

/**
 * How a partner API authenticates us. A bearer token goes in `Authorization: Bearer …`; an API key
 * goes in its own header (`X-Api-Key` unless the secret names another one).
 */
export type Credential =
  | { readonly type: 'bearer'; readonly token: string }
  | { readonly type: 'apiKey'; readonly apiKey: string; readonly headerName: string };

/** Supplies the credential for one partner system. Implementations cache; callers ask on every call. */
export interface CredentialProvider {
  get(): Promise<Credential>;
  /**
   * Drops the cached credential so the next {@link get} reads the secret again. The HTTP client calls
   * it when the partner answers 401, because the secret may have been rotated since it was cached.
   */
  invalidate(): void;
}

/** The secret value of a credential, e.g. to redact it from error messages. */
export function credentialValue(credential: Credential): string {
  return credential.type === 'bearer' ? credential.token : credential.apiKey;
}

/** The request header that carries a credential. */
export function credentialHeader(credential: Credential): [name: string, value: string] {
  return credential.type === 'bearer' ? ['Authorization', `Bearer ${credential.token}`] : [credential.headerName, credential.apiKey];
}

/** Header for an API key when the secret does not name one. */
export const defaultApiKeyHeader = 'X-Api-Key';

/** Five minutes: short enough that a rotated secret is picked up soon, long enough to keep reads (and their cost) rare. */
export const defaultCredentialTtlMs = 5 * 60_000;

export interface SecretCredentialProviderOptions {
  /** System the credential is for; errors name it. */
  readonly system: string;
  /** Secrets Manager secret name or ARN, or `ssm:/path` for an SSM SecureString parameter. */
  readonly secretName: string;
  readonly secretsManager?: SecretsManagerClient;
  readonly ssm?: SSMClient;
  /** @default 5 minutes */
  readonly ttlMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/**
 * Reads a partner credential from Secrets Manager or SSM Parameter Store and caches it for the life
 * of the Lambda container (up to `ttlMs`). Create it once per container (module scope, as
 * `createHttpSystems` does), otherwise the cache does nothing.
 *
 * Secret formats: JSON `{ "token": "…" }` (bearer), JSON `{ "apiKey": "…", "headerName"?: "…" }`
 * (API key header, default `X-Api-Key`), or a plain string (an API key). SSM parameters take the same
 * formats. The value is never logged and never put in an error message.
 */
export class SecretCredentialProvider implements CredentialProvider {
  private secretsManagerClient?: SecretsManagerClient;
  private ssmClient?: SSMClient;
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** The in-flight or settled read; sharing the promise means concurrent calls read the secret once. */
  private cached?: { readonly value: Promise<Credential>; readonly expiresAt: number };

  constructor(private readonly options: SecretCredentialProviderOptions) {
    this.secretsManagerClient = options.secretsManager;
    this.ssmClient = options.ssm;
    this.ttlMs = options.ttlMs ?? defaultCredentialTtlMs;
    this.now = options.now ?? Date.now;
  }

  /** SDK clients are created on first use: a provider only ever needs one of them. */
  private get secretsManager(): SecretsManagerClient {
    return (this.secretsManagerClient ??= new SecretsManagerClient({}));
  }

  private get ssm(): SSMClient {
    return (this.ssmClient ??= new SSMClient({}));
  }

  /** The credential, from the cache if it was read less than `ttlMs` ago. */
  get(): Promise<Credential> {
    if (this.cached && this.now() < this.cached.expiresAt) return this.cached.value;
    const value = this.read();
    const entry = { value, expiresAt: this.now() + this.ttlMs };
    this.cached = entry;
    // A failed read is not cached: the next call (a Step Functions retry) tries again.
    value.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return value;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async read(): Promise<Credential> {
    const { secretName } = this.options;
    const raw = secretName.startsWith('ssm:') ? await this.readParameter(secretName.slice('ssm:'.length)) : await this.readSecret(secretName);
    return parseCredential(raw, (problem) => new PartnerRequestRejected(this.options.system, `credential ${secretName} ${problem}`));
  }

  private async readSecret(secretId: string): Promise<string> {
    try {
      const out = await this.secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (out.SecretString !== undefined) return out.SecretString;
      if (out.SecretBinary) return Buffer.from(out.SecretBinary).toString('utf8');
    } catch (error) {
      throw this.readFailed(error, `secret ${secretId}`);
    }
    throw new PartnerRequestRejected(this.options.system, `credential secret ${secretId} has no value`);
  }

  private async readParameter(name: string): Promise<string> {
    try {
      const out = await this.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      if (out.Parameter?.Value !== undefined) return out.Parameter.Value;
    } catch (error) {
      throw this.readFailed(error, `parameter ${name}`);
    }
    throw new PartnerRequestRejected(this.options.system, `credential parameter ${name} has no value`);
  }

  /**
   * Throttling, AWS server faults and network errors are retryable. A missing secret or a denied
   * read is a deployment mistake that a retry will not fix, so it fails fast to the exception path
   * (as a non-retryable PartnerRequestRejected, the only non-retryable error the ports allow).
   * Only the SDK error's name goes in the message: SDK messages never carry the value, but we keep
   * the message short and predictable.
   */
  private readFailed(error: unknown, what: string): Error {
    const e = error as { name?: string; $fault?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
    const name = e?.name ?? 'Error';
    const status = e?.$metadata?.httpStatusCode;
    const transient = e?.$fault === 'server' || e?.$retryable !== undefined || /Throttl|TooManyRequests|Timeout|InternalServiceError/i.test(name) || status === undefined;
    const message = `could not read credential ${what}: ${name}`;
    return transient ? new SystemUnavailable(this.options.system, message, { cause: error }) : new PartnerRequestRejected(this.options.system, message, { cause: error });
  }
}

/**
 * Turns a secret's text into a credential. Exported for tests. `fail` builds the error for a
 * malformed secret; its message must not contain the secret.
 */
export function parseCredential(raw: string, fail: (problem: string) => Error): Credential {
  const credential = parse(raw.trim(), fail);
  // fetch refuses such a header with an error that quotes it; catching it here fails fast and says why.
  if (!/^[\x21-\x7e]+$/.test(credentialValue(credential))) throw fail('contains characters that cannot be sent in an HTTP header');
  return credential;
}

function parse(text: string, fail: (problem: string) => Error): Credential {
  if (!text) throw fail('is empty');
  if (!text.startsWith('{')) return { type: 'apiKey', apiKey: text, headerName: defaultApiKeyHeader };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Do not pass the JSON error on: its message quotes part of the secret.
    throw fail('is neither valid JSON nor a plain key');
  }
  const fields = (parsed ?? {}) as { token?: unknown; apiKey?: unknown; headerName?: unknown };
  if (typeof fields.token === 'string' && fields.token) return { type: 'bearer', token: fields.token.trim() };
  if (typeof fields.apiKey === 'string' && fields.apiKey) {
    const headerName = typeof fields.headerName === 'string' && /^[A-Za-z0-9-]+$/.test(fields.headerName) ? fields.headerName : defaultApiKeyHeader;
    return { type: 'apiKey', apiKey: fields.apiKey.trim(), headerName };
  }
  throw fail('has neither a "token" nor an "apiKey" field');
}
