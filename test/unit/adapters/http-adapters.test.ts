import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createHttpSystem, createHttpSystems, httpSystemConfigFromEnv } from '../../../lambdas/adapters/http';
import type { CredentialProvider } from '../../../lambdas/adapters/http/credentials';
import { skusPerRequest } from '../../../lambdas/adapters/http/erp';
import { PartnerRequestRejected } from '../../../lambdas/domain/errors';
import { type PartnerServer, type ReceivedRequest, startPartnerServer } from './partner-server';

const at = '2026-03-02T08:00:00.000Z';
const line = { lineNo: 1, sku: 'SKU-1', quantity: 2, uom: 'EA' };
const credentials: CredentialProvider = { get: async () => ({ type: 'bearer', token: 'tok-adapters-123456' }), invalidate: () => {} };

let server: PartnerServer;
beforeEach(async () => {
  server = await startPartnerServer();
});
afterEach(async () => {
  await server.close();
});

const system = <S extends Parameters<typeof createHttpSystem>[0]>(name: S) => createHttpSystem(name, { endpoint: server.url, credentials });
const last = (): ReceivedRequest => server.requests[server.requests.length - 1]!;
const call = (r: ReceivedRequest) => ({ method: r.method, path: r.path.replace('/api/v1', ''), key: r.headers['idempotency-key'], body: r.body });

describe('ERP over HTTP', () => {
  test('master data looks items up in chunks and keeps only the SKUs asked about', async () => {
    server.reply((r) => {
      if (r.path.endsWith('/served-countries')) return { status: 200, body: { countries: ['DE', 'FR'] } };
      const skus = r.query.get('skus')!.split(',');
      return { status: 200, body: { items: [...skus.filter((s) => !s.startsWith('UNKNOWN')).map((sku) => ({ sku, description: 'x' })), { sku: 'NOT-ASKED' }] } };
    });
    const skus = [...Array.from({ length: skusPerRequest + 5 }, (_, i) => `SKU-${i}`), 'UNKNOWN-1', 'SKU-0'];
    const out = await system('erp').masterData({ skus, country: 'DE' });
    expect(out.servedCountries).toEqual(['DE', 'FR']);
    expect(out.knownSkus).toHaveLength(skusPerRequest + 5);
    expect(out.knownSkus).not.toContain('NOT-ASKED');
    const itemCalls = server.requests.filter((r) => r.path.endsWith('/items'));
    expect(itemCalls).toHaveLength(2);
    expect(itemCalls.every((r) => r.method === 'GET' && r.headers['idempotency-key'] === undefined)).toBe(true);
  });

  test('a promised-date update is a PUT on the order', async () => {
    await system('erp').updatePromisedDate({ orderId: 'ORD-1', promisedDeliveryDate: '2026-03-06T17:00:00.000Z', reason: 'Carrier delay', at });
    expect(call(last())).toEqual({
      method: 'PUT',
      path: '/orders/ORD-1/promised-delivery-date',
      key: 'promised-date:ORD-1:2026-03-06T17:00:00.000Z',
      body: { promisedDeliveryDate: '2026-03-06T17:00:00.000Z', reason: 'Carrier delay', at },
    });
    expect(last().headers['x-correlation-id']).toBe('ORD-1');
  });
});

describe('WMS over HTTP', () => {
  test('availability posts the lines and returns the sites', async () => {
    const sites = [{ siteId: 'DC-1', canFulfil: true, distanceKm: 120, queueLength: 3 }];
    server.reply(() => ({ status: 200, body: { sites } }));
    await expect(system('wms').availability({ orderId: 'ORD-1', lines: [line], destinationCountry: 'DE', at })).resolves.toEqual(sites);
    expect(call(last())).toMatchObject({ method: 'POST', path: '/availability-checks', body: { orderId: 'ORD-1', lines: [line], destinationCountry: 'DE', at } });
  });

  test('an availability answer missing a field is rejected naming the field', async () => {
    server.reply(() => ({ status: 200, body: { sites: [{ siteId: 'DC-1', distanceKm: 1, queueLength: 0 }] } }));
    const error = await system('wms').availability({ orderId: 'ORD-1', lines: [line], destinationCountry: 'DE', at }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect((error as Error).message).toContain('field "sites.0.canFulfil"');
  });

  test('reserve, wave and pickup are POSTs keyed for idempotency; release is a DELETE that tolerates 404', async () => {
    const wms = system('wms');
    server.reply((r) => (r.path.endsWith('/reservations') ? { status: 201, body: { reservationId: 'R-9' } } : { status: 201, body: { waveId: 'WV-1' } }));
    await expect(wms.reserve({ orderId: 'ORD-1', siteId: 'DC-1', lines: [line], at })).resolves.toEqual({ reservationId: 'R-9' });
    expect(call(last())).toEqual({ method: 'POST', path: '/reservations', key: 'reserve:ORD-1:DC-1', body: { orderId: 'ORD-1', siteId: 'DC-1', lines: [line], at } });
    await expect(wms.createWave({ orderId: 'ORD-1', siteId: 'DC-1', at })).resolves.toEqual({ waveId: 'WV-1' });
    expect(call(last())).toEqual({ method: 'POST', path: '/waves', key: 'wave:ORD-1', body: { orderId: 'ORD-1', siteId: 'DC-1', at } });
    server.reply(() => ({ status: 202 }));
    await wms.bookPickup({ orderId: 'ORD-1', siteId: 'DC-1', carrierId: 'DHL', pickupAt: '2026-03-02T14:00:00.000Z', at });
    expect(call(last())).toMatchObject({ method: 'POST', path: '/pickups', key: 'pickup:ORD-1:DHL:2026-03-02T14:00:00.000Z' });
    server.reply(() => ({ status: 404 }));
    await wms.releaseReservation({ orderId: 'ORD-1', siteId: 'DC-1', at });
    expect(call(last())).toMatchObject({ method: 'DELETE', path: '/reservations/ORD-1', key: 'release:ORD-1:DC-1' });
    expect(last().query.get('siteId')).toBe('DC-1');
  });
});

describe('TMS over HTTP', () => {
  test('planLoad posts the order and lane and returns the ranked carriers', async () => {
    const plan = { loadId: 'LD-1', carriers: [{ carrierId: 'DHL', rank: 1, rate: { amount: 120.5, currency: 'EUR' } }] };
    server.reply(() => ({ status: 200, body: plan }));
    const order = { orderId: 'ORD-1', weightKg: 40 } as never;
    await expect(system('tms').planLoad({ order, lane: 'DC-1>DE', at })).resolves.toEqual(plan);
    expect(call(last())).toEqual({ method: 'POST', path: '/loads', key: 'load:ORD-1:DC-1>DE', body: { order, lane: 'DC-1>DE', at } });
  });

  test('bookExpedited posts to the load and validates the pickup time', async () => {
    server.reply(() => ({ status: 200, body: { carrierId: 'UPS', pickupAt: 'tomorrow' } }));
    const error = await system('tms').bookExpedited({ orderId: 'ORD-1', loadId: 'LD-1', at }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(PartnerRequestRejected);
    expect((error as Error).message).toContain('field "pickupAt"');
    expect(call(last())).toMatchObject({ method: 'POST', path: '/loads/LD-1/expedite', key: 'expedite:LD-1' });
  });
});

describe('Carrier over HTTP', () => {
  test('a tender is POST /tenders keyed by the tender id; a cancel is DELETE /tenders/{id}', async () => {
    const carrier = system('carrier');
    server.reply(() => ({ status: 202 }));
    await carrier.tender({ tenderId: 'ORD-1-T1', orderId: 'ORD-1', loadId: 'LD-1', carrierId: 'DHL', lane: 'DC-1>DE', pickupBy: at, at });
    expect(call(last())).toEqual({
      method: 'POST',
      path: '/tenders',
      key: 'tender:ORD-1-T1',
      body: { tenderId: 'ORD-1-T1', orderId: 'ORD-1', loadId: 'LD-1', carrierId: 'DHL', lane: 'DC-1>DE', pickupBy: at, at },
    });
    expect(last().headers.authorization).toBe('Bearer tok-adapters-123456');
    await carrier.cancelTender({ tenderId: 'ORD-1-T1', orderId: 'ORD-1', carrierId: 'DHL', at });
    expect(call(last())).toMatchObject({ method: 'DELETE', path: '/tenders/ORD-1-T1', key: 'cancel-tender:ORD-1-T1' });
  });

  test('tracking is a subscription on the shipment', async () => {
    await system('carrier').track({ orderId: 'ORD-1', shipmentId: 'SH-ORD-1', carrierId: 'DHL', promisedDeliveryDate: at, at });
    expect(call(last())).toEqual({
      method: 'POST',
      path: '/shipments/SH-ORD-1/tracking-subscriptions',
      key: 'track:SH-ORD-1',
      body: { orderId: 'ORD-1', carrierId: 'DHL', promisedDeliveryDate: at, at },
    });
  });
});

describe('Finance over HTTP', () => {
  test('releaseInvoice is POST /invoices keyed by the order id', async () => {
    server.reply(() => ({ status: 200, body: { invoiceId: 'INV-1' } }));
    const amount = { amount: 99.9, currency: 'EUR' };
    await expect(system('finance').releaseInvoice({ orderId: 'ORD-1', customerId: 'C-1', amount, at })).resolves.toEqual({ invoiceId: 'INV-1' });
    expect(call(last())).toEqual({ method: 'POST', path: '/invoices', key: 'invoice:ORD-1', body: { orderId: 'ORD-1', customerId: 'C-1', amount, at } });
  });
});

describe('Notifications over HTTP', () => {
  test('customer and team notifications are POST /notifications with a stable, header-safe key', async () => {
    const notifications = system('notifications');
    const customer = { orderId: 'ORD-1', customerId: 'C-1', topic: 'SHIPPED', message: 'Ihre Sendung ist unterwegs – danke!', at };
    await notifications.notifyCustomer(customer);
    await notifications.notifyCustomer({ ...customer, at: '2026-03-02T09:00:00.000Z' });
    await notifications.notifyTeam({ team: 'transport', orderId: 'ORD-1', subject: 'Tender rejected', message: 'No capacity', at });
    const [first, retried, team] = server.requests.map(call);
    expect(first).toMatchObject({ method: 'POST', path: '/notifications', body: { recipient: { type: 'customer', customerId: 'C-1' }, topic: 'SHIPPED' } });
    expect(first!.key).toMatch(/^notify:[0-9a-f]{40}$/);
    expect(retried!.key).toBe(first!.key);
    expect(team).toMatchObject({ body: { recipient: { type: 'team', team: 'transport' }, topic: 'Tender rejected', message: 'No capacity' } });
    expect(team!.key).not.toBe(first!.key);
  });
});

describe('HTTP systems factory', () => {
  test('builds all six systems against their endpoints', async () => {
    const config = { endpoint: server.url, credentials };
    const systems = createHttpSystems({ erp: config, wms: config, tms: config, carrier: config, finance: config, notifications: config });
    expect(Object.keys(systems).sort()).toEqual(['carrier', 'erp', 'finance', 'notifications', 'tms', 'wms']);
    await systems.carrier.track({ orderId: 'ORD-1', shipmentId: 'SH-1', carrierId: 'DHL', promisedDeliveryDate: at, at });
    expect(last().path).toBe('/api/v1/shipments/SH-1/tracking-subscriptions');
  });

  test('reads the credential from the named secret and sends it', async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand, { SecretId: 'logistics/finance' }).resolves({ SecretString: '{"apiKey":"fin-key-123456"}' });
    server.reply(() => ({ status: 201, body: { invoiceId: 'INV-1' } }));
    const finance = createHttpSystem('finance', { endpoint: server.url, secretName: 'logistics/finance', secretsManager: new SecretsManagerClient({}) });
    await finance.releaseInvoice({ orderId: 'ORD-1', customerId: 'C-1', amount: { amount: 1, currency: 'EUR' }, at });
    await finance.releaseInvoice({ orderId: 'ORD-2', customerId: 'C-1', amount: { amount: 1, currency: 'EUR' }, at });
    expect(server.requests.map((r) => r.headers['x-api-key'])).toEqual(['fin-key-123456', 'fin-key-123456']);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    secrets.restore();
  });

  test('reads endpoint and secret name from the environment, and refuses a missing endpoint', () => {
    expect(httpSystemConfigFromEnv('wms', { WMS_ENDPOINT: 'https://wms.example.com', WMS_SECRET_NAME: 'ssm:/logistics/wms/api-key' })).toEqual({
      endpoint: 'https://wms.example.com',
      secretName: 'ssm:/logistics/wms/api-key',
    });
    expect(() => httpSystemConfigFromEnv('tms', {})).toThrow('tms: TMS_ENDPOINT is not set');
    expect(() => createHttpSystem('erp', { endpoint: 'erp.example.com' })).toThrow(/must be an http\(s\) URL/);
  });
});
