import { App } from 'aws-cdk-lib';
import { ConfigurationError, parseConfig, readConfig } from '../../lib/config';
import { systems } from '../../lambdas/manifest';
import { cdkJsonContext } from './helpers';

const parse = (context: Record<string, unknown>) => parseConfig((k) => context[k], Object.keys(context));

function errorOf(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigurationError) return e;
    throw e;
  }
  throw new Error('expected a ConfigurationError');
}

describe('stack configuration from CDK context', () => {
  it('defaults to sandbox mode: every system simulated, data retained, bus named logistics', () => {
    const config = parse({});
    for (const s of systems) expect(config.systems[s]).toEqual({ mode: 'simulator' });
    expect(config).toMatchObject({ eventBusName: 'logistics', archiveRetentionDays: 90, logRetentionDays: 30, retainData: true, simulatorSeed: 1 });
    expect(config.alarmEmail).toBeUndefined();
  });

  it('reads cdk.json as committed without error', () => {
    expect(() => readConfig(new App({ context: cdkJsonContext }).node)).not.toThrow();
  });

  it('takes an http system with a Secrets Manager secret or an ssm: parameter', () => {
    const config = parse({
      'erp.mode': 'http',
      'erp.endpoint': 'https://erp.example.com/api',
      'erp.secretName': 'logistics/erp',
      'tms.mode': 'http',
      'tms.endpoint': 'https://tms.example.com',
      'tms.secretName': 'ssm:/logistics/tms/api-key',
    });
    expect(config.systems.erp).toEqual({
      mode: 'http',
      endpoint: 'https://erp.example.com/api',
      secretName: 'logistics/erp',
      credentials: { kind: 'secretsmanager', secretName: 'logistics/erp' },
    });
    expect(config.systems.tms).toMatchObject({ mode: 'http', credentials: { kind: 'ssm', parameterName: '/logistics/tms/api-key' } });
    expect(config.systems.wms).toEqual({ mode: 'simulator' });
  });

  it('coerces -c strings to booleans and numbers', () => {
    const config = parse({ retainData: 'false', archiveRetentionDays: '0', logRetentionDays: '7', simulatorSeed: '42' });
    expect(config).toMatchObject({ retainData: false, archiveRetentionDays: 0, logRetentionDays: 7, simulatorSeed: 42 });
  });

  it('names every bad field in one error', () => {
    const error = errorOf(() =>
      parse({
        'erp.mode': 'http',
        'wms.mode': 'soap',
        'carrier.mode': 'http',
        'carrier.endpoint': 'http://plain.example.com',
        'carrier.secretName': 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x',
        'finance.endpiont': 'https://finance.example.com',
        logRetentionDays: 10,
        retainData: 'yes',
        alarmEmail: 'not-an-email',
      }),
    );
    const keys = error.issues.map((i) => i.key).sort();
    expect(keys).toEqual(
      ['alarmEmail', 'carrier.endpoint', 'carrier.secretName', 'erp.endpoint', 'erp.secretName', 'finance.endpiont', 'logRetentionDays', 'retainData', 'wms.mode'].sort(),
    );
    expect(error.message).toContain('erp.endpoint: is required when mode is http');
    expect(error.message).toContain('carrier.endpoint: must be an https:// URL');
    expect(error.name).toBe('ConfigurationError');
  });
});
