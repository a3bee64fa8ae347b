import { PartnerRequestRejected, SystemUnavailable } from '../../../lambdas/domain/errors';
import type { Credential, CredentialProvider } from '../../../lambdas/adapters/http/credentials';
import { HttpClient } from '../../../lambdas/adapters/http/http-client';
import { z } from 'zod';
import { type PartnerServer, startPartnerServer } from './partner-server';

const secret = 'sk_live_TOP-SECRET-KEY-1234567890';

/** A provider that hands out a fixed credential and can be "rotated" by the test. */
class FixedCredentials implements CredentialProvider {
  invalidations = 0;
  constructor(public current: Credential) {}
  async get() {
    return this.current;
  }
  invalidate() {
    this.invalidations++;
  }
}

let server: PartnerServer;
beforeEach(async () => {
  server = await startPartnerServer();
});
afterEach(async () => {
  await server.close();
});

const client = (options: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
  new HttpClient({ system: 'carrier', baseUrl: server.url, credentials: new FixedCredentials({ type: 'bearer', token: secret }), ...options });

const tender = (c: HttpClient) => c.post('/tenders', { body: { tenderId: 'ORD-1-T1' }, idempotencyKey: 'tender:ORD-1-T1' });

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('HTTP client error classification', () => {
  test('a 503 is SystemUnavailable naming system, method, path and status, keeping Retry-After', async () => {
    server.reply(() => ({ status: 503, body: { message: 'maintenance' }, headers: { 'Retry-After': '30' } }));
    const error = await failure(tender(client()));
    expect(error).toBeInstanceOf(SystemUnavailable);
    expect(error.name).toBe('SystemUnavailable');
    expect(error.message).toBe('carrier: POST /tenders failed with status 503, retry after 30: maintenance');
  });

  test('a 429 (throttling) is SystemUnavailable, so Step Functions retries it with backoff', async () => {
    server.reply(() => ({ status: 429, headers: { 'Retry-After': '2' } }));
    const error = await failure(tender(client()));
    expect(error).toBeInstanceOf(SystemUnavailable);
    expect(error.message).toContain('status 429, retry after 2');
  });

  test('a 400 is PartnerRequestRejected with the partner’s reason', async () => {
    server.reply(() => ({ status: 400, body: { code: 'INVALID_LANE', message: 'lane DE-XX unknown' } }));
    const error = await failure(tender(client()));
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect(error.name).toBe('PartnerRequestRejected');
    expect(error.message).toBe('carrier: POST /tenders was rejected with status 400: INVALID_LANE: lane DE-XX unknown');
  });

  test('a server that never answers times out as SystemUnavailable', async () => {
    server.reply(() => 'hang');
    const started = Date.now();
    const error = await failure(tender(client({ timeoutMs: 200 })));
    expect(error).toBeInstanceOf(SystemUnavailable);
    expect(error.message).toBe('carrier: POST /tenders timed out after 200 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  test('a server that sends headers and then stalls the body times out too', async () => {
    server.reply(() => 'stall-body');
    const error = await failure(client({ timeoutMs: 200 }).post('/invoices', { idempotencyKey: 'invoice:1' }, z.object({ invoiceId: z.string() })));
    expect(error).toBeInstanceOf(SystemUnavailable);
    expect(error.message).toBe('carrier: POST /invoices timed out after 200 ms');
  });

  test('a refused connection is SystemUnavailable', async () => {
    const url = server.url;
    await server.close();
    const error = await failure(new HttpClient({ system: 'wms', baseUrl: url }).post('/waves', { idempotencyKey: 'wave:1' }));
    expect(error).toBeInstanceOf(SystemUnavailable);
    expect(error.message).toMatch(/^wms: POST \/waves network error \(ECONNREFUSED\)$/);
    server = await startPartnerServer(); // for afterEach
  });

  test('a 2xx body that is not JSON is PartnerRequestRejected', async () => {
    server.reply(() => ({ status: 200, raw: '<html>proxy login</html>' }));
    const error = await failure(client().post('/invoices', { idempotencyKey: 'invoice:1' }, z.object({ invoiceId: z.string() })));
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect(error.message).toBe('carrier: POST /invoices answered status 200 with a body that is not JSON');
  });

  test('a response that does not match the schema is PartnerRequestRejected naming the field', async () => {
    server.reply(() => ({ status: 200, body: { loadId: 'LD-1', carriers: [{ carrierId: 'DHL', rank: 'first' }] } }));
    const schema = z.object({ loadId: z.string(), carriers: z.array(z.object({ carrierId: z.string(), rank: z.number() })) });
    const error = await failure(client().post('/loads', { idempotencyKey: 'load:1' }, schema));
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect(error.message).toMatch(/^carrier: POST \/loads answered with an invalid response: field "carriers\.0\.rank": /);
  });

  test('a redirect is not followed (the credential would go with it) and is PartnerRequestRejected', async () => {
    server.reply(() => ({ status: 302, headers: { Location: 'http://elsewhere.invalid/' } }));
    const error = await failure(tender(client()));
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect(server.requests).toHaveLength(1);
  });

  test('DELETE of something already gone succeeds when 404 counts as done', async () => {
    server.reply(() => ({ status: 404, body: { message: 'no such tender' } }));
    await expect(client().delete('/tenders/T1', { idempotencyKey: 'cancel-tender:T1', notFoundIsSuccess: true })).resolves.toBeUndefined();
    await expect(client().delete('/tenders/T1', { idempotencyKey: 'cancel-tender:T1' })).rejects.toBeInstanceOf(PartnerRequestRejected);
  });
});

describe('HTTP client request headers', () => {
  test('every non-GET call carries the Idempotency-Key; GETs do not', async () => {
    server.reply(() => ({ status: 200, body: { ok: true } }));
    const c = client();
    await tender(c);
    await c.delete('/tenders/ORD-1-T1', { idempotencyKey: 'cancel-tender:ORD-1-T1' });
    await c.get('/items', z.object({ ok: z.boolean() }), { query: { skus: 'A,B' } });
    expect(server.requests.map((r) => [r.method, r.headers['idempotency-key']])).toEqual([
      ['POST', 'tender:ORD-1-T1'],
      ['DELETE', 'cancel-tender:ORD-1-T1'],
      ['GET', undefined],
    ]);
    expect(server.requests[0]!.body).toEqual({ tenderId: 'ORD-1-T1' });
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
    expect(server.requests[2]!.query.get('skus')).toBe('A,B');
  });

  test('a bearer token is sent as Authorization: Bearer', async () => {
    await tender(client());
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${secret}`);
  });

  test('an API key is sent in its header', async () => {
    await tender(client({ credentials: new FixedCredentials({ type: 'apiKey', apiKey: secret, headerName: 'X-Partner-Key' }) }));
    expect(server.requests[0]!.headers['x-partner-key']).toBe(secret);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  test('the credential never appears in an error message, even when the partner echoes it', async () => {
    server.reply((r) => ({ status: 403, body: { message: `key ${String(r.headers.authorization)} is not allowed` } }));
    const error = await failure(tender(client()));
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect(error.message).not.toContain(secret);
    expect(error.message).toContain('[redacted]');
    server.reply((r) => ({ status: 500, raw: `upstream said ${String(r.headers.authorization)}` }));
    const unavailable = await failure(tender(client()));
    expect(unavailable.message).not.toContain(secret);
    expect(JSON.stringify(unavailable)).not.toContain(secret);
  });
});

test('a credential that cannot go in a header fails without quoting it, not even in the cause', async () => {
  const bad = 'sk_live_BAD\nKEY-1234567890';
  const error = await failure(tender(client({ credentials: new FixedCredentials({ type: 'apiKey', apiKey: bad, headerName: 'X-Api-Key' }) })));
  expect(error.message).not.toContain(bad);
  expect(String(error.cause ?? '')).not.toContain(bad);
  expect(String((error.cause as { cause?: unknown } | undefined)?.cause ?? '')).not.toContain(bad);
});

describe('HTTP client and rotated credentials', () => {
  test('a 401 with a credential that has since been rotated is retryable, and the cache is dropped', async () => {
    const credentials = new FixedCredentials({ type: 'bearer', token: secret });
    const c = client({ credentials });
    server.reply(() => {
      credentials.current = { type: 'bearer', token: 'sk_live_NEW-KEY-0987654321' }; // rotated while we called
      return { status: 401 };
    });
    const error = await failure(tender(c));
    expect(error).toBeInstanceOf(SystemUnavailable);
    expect(credentials.invalidations).toBe(1);
  });

  test('a 401 with the current credential is PartnerRequestRejected', async () => {
    server.reply(() => ({ status: 401, body: { message: 'bad key' } }));
    const error = await failure(tender(client()));
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect(error.message).toBe('carrier: POST /tenders was rejected with status 401: bad key');
  });
});
