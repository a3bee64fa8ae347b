import { z } from 'zod';
import { recomputePromise } from '../domain/milestones';
import { loadOrder, parseInput, record, taskInput } from './common';
import type { TaskDeps } from './deps';

const input = taskInput.extend({
  delivery: z.object({ statusCode: z.string(), estimatedDeliveryAt: z.string().nullish(), reason: z.string().nullish() }),
});

/** After a delay milestone: a new promised date, told to the ERP, the customer and customer service. */
export function makeUpdatePromise(deps: TaskDeps) {
  return async function updatePromise(raw: unknown) {
    const req = parseInput(input, raw);
    let state = await loadOrder(deps, req.orderId);
    const previous = state.summary.promisedDeliveryDate;
    const promised = recomputePromise(previous, req.delivery.estimatedDeliveryAt ?? undefined);
    if (promised !== previous) {
      state = await deps.store.updateOrder(req.orderId, state.version, { summary: { ...state.summary, promisedDeliveryDate: promised }, promiseMovedFrom: state.promiseMovedFrom ?? previous, updatedAt: req.at });
    }
    await record(deps, req, 'DECISION', {
      sourceSystem: 'carrier',
      stage: state.stage,
      carrierId: state.carrierId,
      lane: state.lane,
      details: { decision: 'PROMISE_RECOMPUTED', from: previous, to: promised, statusCode: req.delivery.statusCode },
    });
    const reason = req.delivery.reason ?? `carrier reported ${req.delivery.statusCode}`;
    await deps.store.once(req.orderId, 'promise-update', promised, req.at, async () => {
      await deps.systems.erp.updatePromisedDate({ orderId: req.orderId, promisedDeliveryDate: promised, reason, at: req.at });
      await deps.systems.notifications.notifyCustomer({
        orderId: req.orderId,
        customerId: state.summary.customerId,
        topic: 'DELAYED',
        message: `Your order ${req.orderId} is delayed (${reason}). New expected delivery: ${promised}.`,
        at: req.at,
        idempotencyKey: `${req.orderId}:promise:${promised}:customer`,
      });
      await deps.systems.notifications.notifyTeam({
        team: 'customer-service',
        orderId: req.orderId,
        subject: `Order ${req.orderId} delayed`,
        message: `Promise moved from ${previous} to ${promised}: ${reason}.`,
        at: req.at,
        idempotencyKey: `${req.orderId}:promise:${promised}:customer-service`,
      });
      return { promised };
    });
    return { promisedDeliveryDate: promised, deliverBy: new Date(Date.parse(promised) + deps.sla.deliveryGraceSeconds * 1000).toISOString() };
  };
}
