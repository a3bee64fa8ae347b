import { z } from 'zod';

/** Identifiers are what partners send; keep them printable, bounded and free of key separators. */
export const identifier = (what: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, `${what} must start with a letter or digit and use only letters, digits, '.', '_' or '-'`)
    .describe(what);

export const timestamp = (what: string) => z.iso.datetime({ offset: true }).describe(`${what} (ISO 8601 with offset)`);

export const money = z
  .object({
    amount: z.number().nonnegative().describe('Amount in the currency unit'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code').describe('ISO 4217 currency code'),
  })
  .describe('A monetary amount');

export const orderId = identifier('Order id (the correlation id of every event about the order)');
export const siteId = identifier('Fulfilment site id (warehouse)');
export const carrierId = identifier('Carrier id (SCAC or internal code)');

/** Who did something: a system, or a person in a role. Recorded on every stage change and decision. */
export const actor = z
  .object({
    type: z.enum(['system', 'person']),
    id: z.string().min(1).max(128),
    role: z.string().min(1).max(64).optional(),
  })
  .describe('Who acted: a system or a person (with role)');

export const customerPriority = z.enum(['STANDARD', 'PRIORITY', 'EXPRESS']).describe('Service level promised to the customer');

/** Teams that own exceptions; routing and escalation are by owner. */
export const ownerTeam = z
  .enum(['procurement', 'customer-service', 'transport-planning', 'warehouse-operations', 'integration-support', 'finance'])
  .describe('Team that owns the work item');

export const exceptionCategory = z
  .enum([
    'DATA_QUALITY',
    'STOCK_SHORT',
    'CARRIER_CAPACITY',
    'SHIPMENT_LATE',
    'DELIVERY_DELAY',
    'DELIVERY_FAILED',
    'SYSTEM_FAILURE',
    'CANCELLATION_TOO_LATE',
    'APPROVAL_OVERDUE',
  ])
  .describe('Exception category');

export const severity = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).describe('Exception severity');
