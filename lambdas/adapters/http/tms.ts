import { z } from 'zod';
import type { TmsPort } from '../../ports';
import { type HttpClient, segment } from './http-client';

const money = z.object({ amount: z.number().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code') });
const loadResponse = z.object({
  loadId: z.string().min(1),
  carriers: z.array(z.object({ carrierId: z.string().min(1), rank: z.number().int().positive(), rate: money })),
});
const expediteResponse = z.object({ carrierId: z.string().min(1), pickupAt: z.iso.datetime({ offset: true }) });

/**
 * TMS over HTTP (see docs/partner-apis.md#tms).
 * - planLoad: `POST /loads`
 * - bookExpedited: `POST /loads/{loadId}/expedite`
 */
export function createHttpTms(client: HttpClient): TmsPort {
  return {
    async planLoad({ order, lane, at }) {
      return client.post(
        '/loads',
        { body: { order, lane, at }, idempotencyKey: `load:${order.orderId}:${lane}`, correlationId: order.orderId },
        loadResponse,
      );
    },

    async bookExpedited({ orderId, loadId, at }) {
      return client.post(
        `/loads/${segment(loadId)}/expedite`,
        { body: { orderId, at }, idempotencyKey: `expedite:${loadId}`, correlationId: orderId },
        expediteResponse,
      );
    },
  };
}
