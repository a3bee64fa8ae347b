import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { env, type SystemName } from '../../manifest';
import type { Systems } from '../../ports';
import { createHttpCarrier } from './carrier';
import { type CredentialProvider, SecretCredentialProvider } from './credentials';
import { createHttpErp } from './erp';
import { createHttpFinance } from './finance';
import { type FetchLike, HttpClient } from './http-client';
import { createHttpNotifications } from './notifications';
import { createHttpTms } from './tms';
import { createHttpWms } from './wms';

export { HttpClient, type FetchLike } from './http-client';
export { SecretCredentialProvider, type Credential, type CredentialProvider } from './credentials';

/** How to reach one partner system over HTTP. */
export interface HttpSystemConfig {
  /** Base URL of the partner API (`<SYSTEM>_ENDPOINT`). */
  readonly endpoint: string;
  /** Secrets Manager secret name, or `ssm:/path` (`<SYSTEM>_SECRET_NAME`). Omit for an API without credentials. */
  readonly secretName?: string;
  /** Per-call timeout; 5 s by default. */
  readonly timeoutMs?: number;
  /** Injected fetch, for tests. */
  readonly fetch?: FetchLike;
  /** Injected credential provider (overrides `secretName`), for tests or other secret stores. */
  readonly credentials?: CredentialProvider;
  /** Injected SDK clients for reading the secret. */
  readonly secretsManager?: SecretsManagerClient;
  readonly ssm?: SSMClient;
}

const builders = {
  erp: createHttpErp,
  wms: createHttpWms,
  tms: createHttpTms,
  carrier: createHttpCarrier,
  finance: createHttpFinance,
  notifications: createHttpNotifications,
} as const satisfies { [S in SystemName]: (client: HttpClient) => Systems[S] };

/**
 * Credential providers by system and secret name, for the life of the container. Handlers may build
 * their systems per invocation; sharing the provider keeps the 5-minute credential cache working.
 * Only providers built with the default SDK clients are shared (injected clients mean a test).
 */
const sharedProviders = new Map<string, CredentialProvider>();

function credentialsFor(name: SystemName, config: HttpSystemConfig): CredentialProvider | undefined {
  if (config.credentials) return config.credentials;
  if (!config.secretName) return undefined;
  if (config.secretsManager || config.ssm) {
    return new SecretCredentialProvider({ system: name, secretName: config.secretName, secretsManager: config.secretsManager, ssm: config.ssm });
  }
  const key = `${name}\n${config.secretName}`;
  let provider = sharedProviders.get(key);
  if (!provider) {
    provider = new SecretCredentialProvider({ system: name, secretName: config.secretName });
    sharedProviders.set(key, provider);
  }
  return provider;
}

/**
 * The HTTP implementation of one system's port.
 *
 * @example createHttpSystem('carrier', { endpoint: process.env.CARRIER_ENDPOINT!, secretName: process.env.CARRIER_SECRET_NAME })
 */
export function createHttpSystem<S extends SystemName>(name: S, config: HttpSystemConfig): Systems[S] {
  if (!/^https?:\/\//.test(config.endpoint)) throw new Error(`${name}: endpoint must be an http(s) URL, got "${config.endpoint}"`);
  const client = new HttpClient({ system: name, baseUrl: config.endpoint, timeoutMs: config.timeoutMs, fetch: config.fetch, credentials: credentialsFor(name, config) });
  return builders[name](client) as Systems[S];
}

/** The HTTP implementations of all six systems, one config per system. */
export function createHttpSystems(configs: { readonly [S in SystemName]: HttpSystemConfig }): Systems {
  return {
    erp: createHttpSystem('erp', configs.erp),
    wms: createHttpSystem('wms', configs.wms),
    tms: createHttpSystem('tms', configs.tms),
    carrier: createHttpSystem('carrier', configs.carrier),
    finance: createHttpSystem('finance', configs.finance),
    notifications: createHttpSystem('notifications', configs.notifications),
  };
}

/**
 * A system's HTTP config from the function's environment (`<SYSTEM>_ENDPOINT`, `<SYSTEM>_SECRET_NAME`,
 * see lambdas/manifest.ts). Throws if the endpoint is missing: a function in http mode without one
 * is misconfigured and should fail at cold start, not on the first order.
 */
export function httpSystemConfigFromEnv(name: SystemName, environment: Readonly<Record<string, string | undefined>> = process.env): HttpSystemConfig {
  const endpoint = environment[env.systemEndpoint(name)];
  if (!endpoint) throw new Error(`${name}: ${env.systemEndpoint(name)} is not set`);
  return { endpoint, secretName: environment[env.systemSecret(name)] || undefined };
}
