import type { Node } from 'constructs';
import { z } from 'zod';
import { systems, type SystemName } from '../lambdas/manifest';

/**
 * Stack configuration, read once from CDK context (`cdk.json`, overridden with `-c key=value`)
 * and passed down to the constructs. Keys are flat so that `cdk.json` and `-c` spell them the same:
 *
 * - `<system>.mode`: `simulator` (default, "sandbox mode") or `http`, for erp, wms, tms, carrier, finance, notifications
 * - `<system>.endpoint`: base URL of the partner API (https, required in http mode)
 * - `<system>.secretName`: Secrets Manager secret name, or `ssm:/param/path` for an SSM SecureString (required in http mode)
 * - `eventBusName` (default `logistics`), `archiveRetentionDays` (default 90, 0 = keep forever),
 *   `logRetentionDays` (default 30), `retainData` (default true), `alarmEmail` (optional),
 *   `simulatorSeed` (default 1), `waitTimedOutAlarmThreshold` (default 1)
 */

/** Where a partner credential lives. */
export type CredentialSource =
  | { readonly kind: 'secretsmanager'; readonly secretName: string }
  | { readonly kind: 'ssm'; readonly parameterName: string };

export type SystemConfig =
  | { readonly mode: 'simulator' }
  | {
      readonly mode: 'http';
      /** Base URL of the partner API. */
      readonly endpoint: string;
      /** The configured value, passed verbatim to the function as `<SYSTEM>_SECRET_NAME`. */
      readonly secretName: string;
      readonly credentials: CredentialSource;
    };

export interface StackConfig {
  /** Adapter mode of each external system. */
  readonly systems: Readonly<Record<SystemName, SystemConfig>>;
  /** Name of the custom event bus. */
  readonly eventBusName: string;
  /** Days the event archive keeps events for replay; 0 keeps them forever. */
  readonly archiveRetentionDays: number;
  /** Retention of function and state machine log groups, in days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Keep the workflow store (deletion protection, RETAIN) and log groups when the stack is deleted. */
  readonly retainData: boolean;
  /** Subscribe this address to the alarm topic; without it, alarms have no action. */
  readonly alarmEmail?: string;
  /** Seed of the simulated systems, so sandbox runs are reproducible. */
  readonly simulatorSeed: number;
  /** Timed-out waits (SLA breaches) in 5 minutes that raise the WaitTimedOut alarm. */
  readonly waitTimedOutAlarmThreshold: number;
  /**
   * Amazon Bedrock model id for root-cause summaries (Converse API), e.g. `amazon.nova-lite-v1:0`.
   * Unset (the default): the deterministic template writes them and no Bedrock permission is granted.
   */
  readonly rootCauseModelId?: string;
}

/** CloudWatch Logs retention values, in days. */
const logRetentionValues = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** `-c key=value` always yields strings; cdk.json yields JSON types. Accept both. */
const booleanish = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean({ error: 'must be true or false' }),
);
const integerish = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
    z.number({ error: 'must be a whole number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`),
  );

const secretNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .refine((s) => !s.startsWith('arn:'), 'must be a secret name (or ssm:/param/path), not an ARN')
  .refine((s) => !s.startsWith('ssm:') || /^ssm:\/[A-Za-z0-9_.\-/]+$/.test(s), 'an SSM parameter must be written ssm:/param/path')
  .refine((s) => s.startsWith('ssm:') || s.startsWith('arn:') || /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(s), 'must be a Secrets Manager secret name (letters, digits, /_+=.@-)');

const systemSchema = z
  .object({
    mode: z.enum(['simulator', 'http'], { error: "must be 'simulator' or 'http'" }).default('simulator'),
    endpoint: z
      .url({ protocol: /^https$/, error: 'must be an https:// URL' })
      .optional(),
    secretName: secretNameSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.mode !== 'http') return;
    if (s.endpoint === undefined) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'is required when mode is http' });
    if (s.secretName === undefined) ctx.addIssue({ code: 'custom', path: ['secretName'], message: 'is required when mode is http' });
  });

const configSchema = z.object({
  systems: z.object(Object.fromEntries(systems.map((s) => [s, systemSchema])) as Record<SystemName, typeof systemSchema>),
  eventBusName: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,256}$/, 'must be an event bus name (letters, digits, . _ -)')
    .refine((s) => s !== 'default', 'must not be the default bus')
    .default('logistics'),
  archiveRetentionDays: integerish(0, 36500).default(90),
  logRetentionDays: integerish(1, 3653)
    .refine((d) => logRetentionValues.includes(d), `must be one of ${logRetentionValues.join(', ')}`)
    .default(30),
  retainData: booleanish.default(true),
  alarmEmail: z.email('must be an email address').optional(),
  simulatorSeed: integerish(0, 2 ** 31 - 1).default(1),
  waitTimedOutAlarmThreshold: integerish(1, 100000).default(1),
  rootCauseModelId: z
    .string()
    .regex(/^[a-z0-9-]+\.[A-Za-z0-9._:-]{1,120}$/, "must be a Bedrock foundation model id such as 'amazon.nova-lite-v1:0' (not an ARN)")
    .optional(),
});

/** Thrown when the CDK context does not describe a valid stack; names every bad key at once. */
export class ConfigurationError extends Error {
  constructor(
    readonly issues: ReadonlyArray<{ key: string; message: string }>,
    options?: { cause?: unknown },
  ) {
    super(`Invalid stack configuration (CDK context):\n${issues.map((i) => `  - ${i.key}: ${i.message}`).join('\n')}`, options);
    this.name = 'ConfigurationError';
  }
}

const topLevelKeys = ['eventBusName', 'archiveRetentionDays', 'logRetentionDays', 'retainData', 'alarmEmail', 'simulatorSeed', 'waitTimedOutAlarmThreshold', 'rootCauseModelId'] as const;
const systemKeys = ['mode', 'endpoint', 'secretName'] as const;

/** Context key of a config path: `systems.erp.mode` is spelled `erp.mode`. */
function contextKeyOf(path: ReadonlyArray<PropertyKey>): string {
  const parts = path.map(String);
  return parts[0] === 'systems' ? parts.slice(1).join('.') : parts.join('.');
}

/**
 * Validates raw context values (as `tryGetContext` returns them) into a {@link StackConfig}.
 * @param lookup returns the context value of a key, or undefined
 * @param allKeys every context key present, to catch misspelt system keys such as `erp.endpiont`
 */
export function parseConfig(lookup: (key: string) => unknown, allKeys: readonly string[] = []): StackConfig {
  const issues: Array<{ key: string; message: string }> = [];
  for (const key of allKeys) {
    const [system, field, ...rest] = key.split('.');
    if ((systems as readonly string[]).includes(system) && (rest.length > 0 || !(systemKeys as readonly string[]).includes(field ?? ''))) {
      issues.push({ key, message: `unknown key (expected ${systemKeys.map((k) => `${system}.${k}`).join(', ')})` });
    }
  }
  const raw = {
    systems: Object.fromEntries(systems.map((s) => [s, Object.fromEntries(systemKeys.map((k) => [k, lookup(`${s}.${k}`)]).filter(([, v]) => v !== undefined && v !== ''))])),
    ...Object.fromEntries(topLevelKeys.map((k) => [k, lookup(k)]).filter(([, v]) => v !== undefined && v !== '')),
  };
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    issues.push(...parsed.error.issues.map((i) => ({ key: contextKeyOf(i.path), message: i.message })));
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigurationError(issues);

  const c = parsed.data;
  const systemConfigs = Object.fromEntries(
    systems.map((name): [SystemName, SystemConfig] => {
      const s = c.systems[name];
      if (s.mode === 'simulator') return [name, { mode: 'simulator' }];
      const secretName = s.secretName!;
      const credentials: CredentialSource = secretName.startsWith('ssm:')
        ? { kind: 'ssm', parameterName: secretName.slice('ssm:'.length) }
        : { kind: 'secretsmanager', secretName };
      return [name, { mode: 'http', endpoint: s.endpoint!, secretName, credentials }];
    }),
  ) as Record<SystemName, SystemConfig>;

  return {
    systems: systemConfigs,
    eventBusName: c.eventBusName,
    archiveRetentionDays: c.archiveRetentionDays,
    logRetentionDays: c.logRetentionDays,
    retainData: c.retainData,
    alarmEmail: c.alarmEmail,
    simulatorSeed: c.simulatorSeed,
    waitTimedOutAlarmThreshold: c.waitTimedOutAlarmThreshold,
    rootCauseModelId: c.rootCauseModelId,
  };
}

/** Reads and validates the stack configuration from a construct's CDK context. */
export function readConfig(node: Node): StackConfig {
  return parseConfig((key) => node.tryGetContext(key), Object.keys(node.getAllContext()));
}
