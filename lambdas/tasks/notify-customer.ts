import { z } from 'zod';
import { loadOrderWithEffects, parseInput, taskInput } from './common';
import type { TaskDeps } from './deps';

const input = taskInput.extend({ topic: z.enum(['SHIPPED', 'DELIVERED']) });

const messages = {
  SHIPPED: (orderId: string) => `Your order ${orderId} has shipped.`,
  DELIVERED: (orderId: string) => `Your order ${orderId} was delivered. Thank you.`,
};

/** Tells the customer about a milestone, once per order and topic. */
export function makeNotifyCustomer(deps: TaskDeps) {
  return async function notifyCustomer(raw: unknown) {
    const req = parseInput(input, raw);
    const { state, effects } = await loadOrderWithEffects(deps, req.orderId, [{ kind: 'notification', key: req.topic }]);
    const { firstTime } = await deps.store.once(
      req.orderId,
      'notification',
      req.topic,
      req.at,
      async () => {
        await deps.systems.notifications.notifyCustomer({ orderId: req.orderId, customerId: state.summary.customerId, topic: req.topic, message: messages[req.topic](req.orderId), at: req.at, idempotencyKey: `${req.orderId}:${req.topic}` });
        return { topic: req.topic };
      },
      effects,
    );
    return { sent: firstTime };
  };
}
