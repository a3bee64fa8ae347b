import { z } from 'zod';
import { hasShipped, type OrderState } from '../domain/order';
import { InvalidTaskInput } from '../domain/errors';
import type { Wait } from '../ports';
import { ensureNotCancelled, loadOrderWithEffects, parseInput, record, recordWaitEnded, taskInput } from './common';
import { registerWait } from './correlation';
import type { TaskDeps } from './deps';

const input = z.discriminatedUnion('kind', [
  taskInput.extend({
    kind: z.literal('SHIP_CONFIRMATION'),
    taskToken: z.string().min(1),
    tender: z.object({ carrierId: z.string().min(1), tenderId: z.string().min(1), pickupAt: z.string().nullish() }),
  }),
  taskInput.extend({
    kind: z.literal('DELIVERY'),
    taskToken: z.string().min(1),
    shipment: z.object({ carrierId: z.string().min(1), shipmentId: z.string().min(1) }),
  }),
  taskInput.extend({ kind: z.literal('DECISION'), taskToken: z.string().min(1), exceptionId: z.string().min(1) }),
]);

/** Wait keys: what the correlator looks up for an inbound event. */
export const waitKeys = {
  tender: (tenderId: string) => `TENDER#${tenderId}`,
  ship: (orderId: string) => `SHIP#${orderId}`,
  delivery: (orderId: string) => `DELIVERY#${orderId}`,
  decision: (exceptionId: string) => `DECISION#${exceptionId}`,
};

/**
 * Closes the race with a cancellation that arrived while the wait was being registered: the
 * correlator flags the order, then interrupts its active wait; a registrar whose wait became active
 * after that flag (`state`: the order as registerWait returned it) interrupts its own wait.
 */
export async function checkCancelAfterRegistering(deps: TaskDeps, wait: Wait, state: OrderState | undefined): Promise<void> {
  if (!state?.cancelRequested || hasShipped(state.stage) || wait.kind === 'DECISION') return;
  const current = await deps.store.getWait(wait.key);
  if (current?.taskToken !== wait.taskToken) return;
  if (await deps.store.claimWait(wait.key, wait.taskToken)) {
    await deps.callbacks.fail(wait.taskToken, 'OrderCancelled', `order ${wait.orderId} was cancelled: ${state.cancelRequested.reason}`);
  }
}

/**
 * Registers a wait for a partner event or a person's decision, and asks the partner for what is
 * awaited (the WMS for a dock appointment, the carrier for tracking). The state machine waits on the
 * task token; its timeout is the SLA.
 */
export function makeAwaitEvent(deps: TaskDeps) {
  return async function awaitEvent(raw: unknown) {
    const req = parseInput(input, raw);
    // The side effect this wait asks of a partner (a pickup booking, tracking) is read with the order.
    const effect = req.kind === 'SHIP_CONFIRMATION' ? [{ kind: 'pickup', key: req.tender.tenderId }] : req.kind === 'DELIVERY' ? [{ kind: 'tracking', key: req.shipment.shipmentId }] : [];
    const { state, effects } = await loadOrderWithEffects(deps, req.orderId, effect);
    if (req.kind !== 'DECISION') ensureNotCancelled(state);
    const registeredAt = req.at;
    let key: string;
    let dueAt: string;
    switch (req.kind) {
      case 'SHIP_CONFIRMATION':
        key = waitKeys.ship(req.orderId);
        dueAt = new Date(Date.parse(state.summary.requestedShipDate) + deps.sla.shipGraceSeconds * 1000).toISOString();
        break;
      case 'DELIVERY':
        key = waitKeys.delivery(req.orderId);
        dueAt = new Date(Date.parse(state.summary.promisedDeliveryDate) + deps.sla.deliveryGraceSeconds * 1000).toISOString();
        break;
      case 'DECISION': {
        key = waitKeys.decision(req.exceptionId);
        const exception = await deps.store.getException(req.exceptionId);
        if (!exception) throw new InvalidTaskInput(`exception ${req.exceptionId} is not recorded`);
        dueAt = exception.dueAt;
        break;
      }
    }
    const wait: Wait = { key, taskToken: req.taskToken, orderId: req.orderId, kind: req.kind === 'SHIP_CONFIRMATION' ? 'SHIP_CONFIRMATION' : req.kind, registeredAt, expiresAt: dueAt };
    await record(deps, req, 'WAIT_STARTED', { stage: state.stage, carrierId: state.carrierId, lane: state.lane, details: { kind: req.kind, key, dueAt } });
    const registered = await registerWait(deps, wait);
    if (registered.outcome === 'DELIVERED') await recordWaitEnded(deps, req.orderId, wait.key, 'ANSWERED', req.at, `mailbox:${req.step}:${req.at}`);
    if (req.kind === 'SHIP_CONFIRMATION') {
      const pickupAt = req.tender.pickupAt ?? new Date(Date.parse(req.at) + 2 * 3600 * 1000).toISOString();
      await deps.store.once(req.orderId, 'pickup', req.tender.tenderId, req.at, () =>
        deps.systems.wms.bookPickup({
          orderId: req.orderId,
          siteId: state.summary.siteId,
          carrierId: req.tender.carrierId,
          pickupAt,
          at: req.at,
          requestedShipDate: state.summary.requestedShipDate,
          customerPriority: state.summary.customerPriority,
        }),
        effects,
      );
    } else if (req.kind === 'DELIVERY') {
      await deps.store.once(req.orderId, 'tracking', req.shipment.shipmentId, req.at, () =>
        deps.systems.carrier.track({
          orderId: req.orderId,
          shipmentId: req.shipment.shipmentId,
          carrierId: req.shipment.carrierId,
          promisedDeliveryDate: state.summary.promisedDeliveryDate,
          at: req.at,
          lane: state.lane,
        }),
        effects,
      );
    }
    await checkCancelAfterRegistering(deps, wait, registered.order);
    return { key, dueAt };
  };
}
