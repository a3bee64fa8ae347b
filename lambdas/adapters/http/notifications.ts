import { createHash } from 'node:crypto';
import type { NotificationPort } from '../../ports';
import type { HttpClient } from './http-client';

/**
 * Notification service over HTTP (see docs/partner-apis.md#notifications): both calls are
 * `POST /notifications`, with a customer or a team as recipient.
 */
export function createHttpNotifications(client: HttpClient): NotificationPort {
  return {
    async notifyCustomer({ orderId, customerId, topic, message, at, idempotencyKey }) {
      const recipient = { type: 'customer', customerId };
      await client.post('/notifications', {
        body: { recipient, orderId, topic, message, at },
        idempotencyKey: idempotencyKey ?? notificationKey(recipient, orderId, topic, message),
        correlationId: orderId,
      });
    },

    async notifyTeam({ team, orderId, subject, message, at, idempotencyKey }) {
      const recipient = { type: 'team', team };
      await client.post('/notifications', {
        body: { recipient, orderId, topic: subject, message, at },
        idempotencyKey: idempotencyKey ?? notificationKey(recipient, orderId, subject, message),
        correlationId: orderId,
      });
    },
  };
}

/**
 * The same message to the same recipient about the same order is one notification, however often
 * it is retried. Subjects and messages are free text (spaces, non-ASCII) that may not go in a header
 * as is, so the key is a hash of them.
 */
function notificationKey(recipient: object, orderId: string, topic: string, message: string): string {
  return `notify:${createHash('sha256').update(JSON.stringify([recipient, orderId, topic, message])).digest('hex').slice(0, 40)}`;
}
