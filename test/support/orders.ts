import { randomUUID } from 'node:crypto';
import { sources, type EventData, type EventType } from '../../lambdas/contracts';

/** A valid OrderReleased payload; override fields per test. */
export function orderReleased(orderId: string, overrides: Partial<EventData<'OrderReleased'>> = {}): EventData<'OrderReleased'> {
  return {
    orderId,
    customerId: 'CUST-1',
    customerPriority: 'STANDARD',
    siteId: 'DC-HAM',
    shipTo: { name: 'Acme GmbH', line1: 'Hafenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    requestedShipDate: '2026-11-24T16:00:00Z',
    promisedDeliveryDate: '2026-11-26T16:00:00Z',
    lines: [
      { lineNo: 1, sku: 'SKU-100', quantity: 4, uom: 'EA' },
      { lineNo: 2, sku: 'SKU-200', quantity: 2, uom: 'EA' },
    ],
    orderValue: { amount: 1250, currency: 'EUR' },
    ...overrides,
  };
}

/** An EventBridge event (as a rule target receives it) carrying a catalog event in the common envelope. */
export function busEvent<T extends EventType>(type: T, system: keyof typeof sources, data: EventData<T> | Record<string, unknown>, options: { eventId?: string; occurredAt?: string } = {}) {
  const occurredAt = options.occurredAt ?? '2026-11-23T10:00:00Z';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': type,
    source: sources[system],
    account: '000000000000',
    time: occurredAt,
    region: 'us-east-1',
    resources: [],
    detail: { schemaVersion: '1', eventId: options.eventId ?? randomUUID(), correlationId: (data as { orderId: string }).orderId, occurredAt, producer: `${system}-test`, data },
  };
}
