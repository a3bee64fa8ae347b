import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SecretCredentialProvider } from '../../../lambdas/adapters/http/credentials';
import { PartnerRequestRejected, SystemUnavailable } from '../../../lambdas/domain/errors';

const secretsManager = mockClient(SecretsManagerClient);
const ssm = mockClient(SSMClient);

beforeEach(() => {
  secretsManager.reset();
  ssm.reset();
});

function provider(secretName: string, now: () => number = Date.now) {
  return new SecretCredentialProvider({ system: 'carrier', secretName, secretsManager: new SecretsManagerClient({}), ssm: new SSMClient({}), now });
}

describe('credentials from Secrets Manager', () => {
  test('a JSON secret with "token" is a bearer token', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: 'logistics/carrier' }).resolves({ SecretString: '{"token":"tok-123456"}' });
    await expect(provider('logistics/carrier').get()).resolves.toEqual({ type: 'bearer', token: 'tok-123456' });
  });

  test('a JSON secret with "apiKey" is an API key, in X-Api-Key unless it names a header', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: 'a' }).resolves({ SecretString: '{"apiKey":"key-123456"}' });
    secretsManager.on(GetSecretValueCommand, { SecretId: 'b' }).resolves({ SecretString: '{"apiKey":"key-654321","headerName":"X-Partner-Key"}' });
    await expect(provider('a').get()).resolves.toEqual({ type: 'apiKey', apiKey: 'key-123456', headerName: 'X-Api-Key' });
    await expect(provider('b').get()).resolves.toEqual({ type: 'apiKey', apiKey: 'key-654321', headerName: 'X-Partner-Key' });
  });

  test('a plain-string secret is an API key', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '  plain-key-123456\n' });
    await expect(provider('logistics/carrier').get()).resolves.toEqual({ type: 'apiKey', apiKey: 'plain-key-123456', headerName: 'X-Api-Key' });
  });

  test('a JSON secret without token or apiKey is rejected without quoting the secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '{"password":"hunter2-secret"}' });
    const error = await provider('logistics/carrier').get().catch((e: Error) => e);
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect((error as Error).message).toBe('carrier: credential logistics/carrier has neither a "token" nor an "apiKey" field');
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '{"token": hunter2-secret' });
    const malformed = (await provider('logistics/carrier').get().catch((e: Error) => e)) as Error;
    expect(malformed.message).not.toContain('hunter2');
  });

  test('a secret that cannot be sent in a header is rejected when read, without quoting it', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '{"apiKey":"two words-secret"}' });
    const error = (await provider('logistics/carrier').get().catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect(error.message).toBe('carrier: credential logistics/carrier contains characters that cannot be sent in an HTTP header');
  });

  test('a missing secret is a non-retryable configuration error; throttling is retryable', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: { httpStatusCode: 400 } }));
    const missing = await provider('nope').get().catch((e: Error) => e);
    expect(missing).toBeInstanceOf(PartnerRequestRejected);
    expect((missing as Error).message).toBe('carrier: could not read credential secret nope: ResourceNotFoundException');
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 }, $retryable: { throttling: true } });
    secretsManager.on(GetSecretValueCommand).rejects(throttled);
    await expect(provider('busy').get()).rejects.toBeInstanceOf(SystemUnavailable);
  });
});

describe('credentials from SSM Parameter Store', () => {
  test('an ssm: name reads the SecureString parameter with decryption', async () => {
    ssm.on(GetParameterCommand, { Name: '/logistics/wms/api-key', WithDecryption: true }).resolves({ Parameter: { Value: 'wms-key-123456' } });
    await expect(provider('ssm:/logistics/wms/api-key').get()).resolves.toEqual({ type: 'apiKey', apiKey: 'wms-key-123456', headerName: 'X-Api-Key' });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('an SSM parameter may hold the JSON form too', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: '{"token":"tok-abcdef"}' } });
    await expect(provider('ssm:/logistics/tms/token').get()).resolves.toEqual({ type: 'bearer', token: 'tok-abcdef' });
  });
});

describe('credential caching', () => {
  test('the secret is read once per 5 minutes, then read again', async () => {
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'key-one-123456' }).resolves({ SecretString: 'key-two-123456' });
    let now = 1_000_000;
    const p = provider('logistics/carrier', () => now);
    await Promise.all([p.get(), p.get()]); // concurrent callers share one read
    now += 4 * 60_000;
    await expect(p.get()).resolves.toMatchObject({ apiKey: 'key-one-123456' });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now += 60_000;
    await expect(p.get()).resolves.toMatchObject({ apiKey: 'key-two-123456' });
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  test('invalidate drops the cached value (after a 401 the secret is read again)', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'key-123456' } });
    const p = provider('ssm:/k');
    await p.get();
    p.invalidate();
    await p.get();
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  test('a failed read is not cached', async () => {
    secretsManager.on(GetSecretValueCommand).rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })).resolves({ SecretString: 'key-123456' });
    const p = provider('logistics/carrier');
    await expect(p.get()).rejects.toBeInstanceOf(SystemUnavailable);
    await expect(p.get()).resolves.toMatchObject({ apiKey: 'key-123456' });
  });
});
