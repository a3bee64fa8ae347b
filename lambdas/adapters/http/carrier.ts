import type { CarrierPort } from '../../ports';
import { type HttpClient, segment } from './http-client';

/**
 * Carrier (or carrier gateway) over HTTP (see docs/partner-apis.md#carrier). Answers to tenders and
 * tracking milestones come back later as events, so none of these calls has a response body.
 * - tender: `POST /tenders`; cancelTender: `DELETE /tenders/{tenderId}`
 * - track: `POST /shipments/{shipmentId}/tracking-subscriptions`
 */
export function createHttpCarrier(client: HttpClient): CarrierPort {
  return {
    async tender({ tenderId, orderId, loadId, carrierId, lane, pickupBy, at }) {
      await client.post('/tenders', {
        body: { tenderId, orderId, loadId, carrierId, lane, pickupBy, at },
        idempotencyKey: `tender:${tenderId}`,
        correlationId: orderId,
      });
    },

    async cancelTender({ tenderId, orderId, carrierId, at }) {
      await client.delete(`/tenders/${segment(tenderId)}`, {
        query: { carrierId, orderId, at },
        idempotencyKey: `cancel-tender:${tenderId}`,
        correlationId: orderId,
        notFoundIsSuccess: true,
      });
    },

    async track({ orderId, shipmentId, carrierId, promisedDeliveryDate, at }) {
      await client.post(`/shipments/${segment(shipmentId)}/tracking-subscriptions`, {
        body: { orderId, carrierId, promisedDeliveryDate, at },
        idempotencyKey: `track:${shipmentId}`,
        correlationId: orderId,
      });
    },
  };
}
