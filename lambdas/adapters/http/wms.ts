import { z } from 'zod';
import type { WmsPort } from '../../ports';
import { type HttpClient, segment } from './http-client';

const availabilityResponse = z.object({
  sites: z.array(
    z.object({
      siteId: z.string().min(1),
      canFulfil: z.boolean(),
      distanceKm: z.number().nonnegative(),
      queueLength: z.number().int().nonnegative(),
    }),
  ),
});
const reservationResponse = z.object({ reservationId: z.string().min(1) });
const waveResponse = z.object({ waveId: z.string().min(1) });

/**
 * WMS over HTTP (see docs/partner-apis.md#wms).
 * - availability: `POST /availability-checks` (a query, but the order lines do not fit in a URL)
 * - reserve: `POST /reservations`; releaseReservation: `DELETE /reservations/{orderId}?siteId=…`
 * - createWave: `POST /waves`; bookPickup: `POST /pickups`
 */
export function createHttpWms(client: HttpClient): WmsPort {
  return {
    async availability({ orderId, lines, destinationCountry, at }) {
      const out = await client.post(
        '/availability-checks',
        { body: { orderId, lines, destinationCountry, at }, idempotencyKey: `availability:${orderId}:${at}`, correlationId: orderId },
        availabilityResponse,
      );
      return out.sites;
    },

    async reserve({ orderId, siteId, lines, at }) {
      // Keyed by order and site: after a reallocation the order is reserved again at another site.
      return client.post(
        '/reservations',
        { body: { orderId, siteId, lines, at }, idempotencyKey: `reserve:${orderId}:${siteId}`, correlationId: orderId },
        reservationResponse,
      );
    },

    async releaseReservation({ orderId, siteId, at }) {
      await client.delete(`/reservations/${segment(orderId)}`, {
        query: { siteId, at },
        idempotencyKey: `release:${orderId}:${siteId}`,
        correlationId: orderId,
        notFoundIsSuccess: true,
      });
    },

    async createWave({ orderId, siteId, at }) {
      return client.post('/waves', { body: { orderId, siteId, at }, idempotencyKey: `wave:${orderId}`, correlationId: orderId }, waveResponse);
    },

    async bookPickup({ orderId, siteId, carrierId, pickupAt, at }) {
      // A re-booking (another carrier or time after an expedite) is a new booking, hence carrier and time in the key.
      await client.post('/pickups', {
        body: { orderId, siteId, carrierId, pickupAt, at },
        idempotencyKey: `pickup:${orderId}:${carrierId}:${pickupAt}`,
        correlationId: orderId,
      });
    },
  };
}
