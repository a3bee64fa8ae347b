import { z } from 'zod';
import type { ErpPort } from '../../ports';
import { type HttpClient, segment } from './http-client';

/** SKUs per `GET /items` call: keeps the URL well under common 8 KiB limits (64-char SKUs, encoded). */
export const skusPerRequest = 50;
/** `GET /items` calls in flight at once for a large order. */
const concurrentLookups = 4;

const itemsResponse = z.object({
  items: z.array(z.object({ sku: z.string().min(1) }).loose()),
});
const servedCountriesResponse = z.object({
  countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')),
});

/**
 * ERP over HTTP (see docs/partner-apis.md#erp).
 * - masterData: `GET /items?skus=A,B,…` (in chunks) and `GET /served-countries`
 * - updatePromisedDate: `PUT /orders/{orderId}/promised-delivery-date`
 */
export function createHttpErp(client: HttpClient): ErpPort {
  return {
    async masterData({ skus }) {
      // `country` is not sent: the ERP lists every served country and the validation rule checks membership.
      const unique = [...new Set(skus)];
      const chunks: string[][] = [];
      for (let i = 0; i < unique.length; i += skusPerRequest) chunks.push(unique.slice(i, i + skusPerRequest));
      const lookUpItems = async () => {
        const known = new Set<string>();
        for (let i = 0; i < chunks.length; i += concurrentLookups) {
          const pages = await Promise.all(chunks.slice(i, i + concurrentLookups).map((chunk) => client.get('/items', itemsResponse, { query: { skus: chunk.join(',') } })));
          for (const page of pages) for (const item of page.items) known.add(item.sku);
        }
        return known;
      };
      // The served countries do not depend on the items: fetch them alongside, not after.
      const [known, served] = await Promise.all([lookUpItems(), client.get('/served-countries', servedCountriesResponse)]);
      // Only SKUs we asked about count: an ERP that answers with extra items does not make them known.
      return { knownSkus: unique.filter((sku) => known.has(sku)), servedCountries: served.countries };
    },

    async updatePromisedDate({ orderId, promisedDeliveryDate, reason, at }) {
      await client.put(`/orders/${segment(orderId)}/promised-delivery-date`, {
        body: { promisedDeliveryDate, reason, at },
        idempotencyKey: `promised-date:${orderId}:${promisedDeliveryDate}`,
        correlationId: orderId,
      });
    },
  };
}
