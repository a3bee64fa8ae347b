import { z } from 'zod';
import type { FinancePort } from '../../ports';
import type { HttpClient } from './http-client';

const invoiceResponse = z.object({ invoiceId: z.string().min(1) });

/**
 * Finance over HTTP (see docs/partner-apis.md#finance).
 * - releaseInvoice: `POST /invoices`; a repeat with the same key returns the same invoice.
 */
export function createHttpFinance(client: HttpClient): FinancePort {
  return {
    async releaseInvoice({ orderId, customerId, amount, at }) {
      return client.post(
        '/invoices',
        { body: { orderId, customerId, amount, at }, idempotencyKey: `invoice:${orderId}`, correlationId: orderId },
        invoiceResponse,
      );
    },
  };
}
