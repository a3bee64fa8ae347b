import { env, type SystemName } from './manifest';

/** Thrown at cold start when the stack (or the local runtime) did not set a variable a handler needs. */
export class MissingConfiguration extends Error {
  constructor(name: string) {
    super(`Environment variable ${name} is not set; the stack sets it for functions that need it (see lambdas/manifest.ts)`);
    this.name = 'MissingConfiguration';
  }
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new MissingConfiguration(name);
  return value;
}

export interface SystemConfig {
  readonly mode: 'simulator' | 'http';
  readonly endpoint?: string;
  readonly secretName?: string;
}

/** How each partner system is reached, from `<SYSTEM>_MODE` (default simulator), `_ENDPOINT`, `_SECRET_NAME`. */
export function systemConfig(name: SystemName): SystemConfig {
  const mode = process.env[env.systemMode(name)] ?? 'simulator';
  if (mode !== 'simulator' && mode !== 'http') throw new Error(`${env.systemMode(name)} must be 'simulator' or 'http', not '${mode}'`);
  if (mode === 'simulator') return { mode };
  return { mode, endpoint: requireEnv(env.systemEndpoint(name)), secretName: requireEnv(env.systemSecret(name)) };
}

