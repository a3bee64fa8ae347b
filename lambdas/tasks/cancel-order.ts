import { z } from 'zod';
import { tenderIdFor } from '../domain/tendering';
import { changeStage, loadOrder, orchestrator, parseInput, record, taskInput } from './common';
import type { TaskDeps } from './deps';

const input = taskInput.extend({ reason: z.string().min(1) });

/** Compensates a cancellation before shipment: releases the reservation and cancels tenders and bookings. */
export function makeCancelOrder(deps: TaskDeps) {
  return async function cancelOrder(raw: unknown) {
    const req = parseInput(input, raw);
    const state = await loadOrder(deps, req.orderId);
    const compensated: string[] = [];
    const history = await deps.store.history(req.orderId);
    if (history.some((e) => e.type === 'STAGE_CHANGED' && (e.stage === 'ALLOCATED' || e.stage === 'REALLOCATED'))) {
      await deps.store.once(req.orderId, 'reservation-release', state.summary.siteId, req.at, () =>
        deps.systems.wms.releaseReservation({ orderId: req.orderId, siteId: state.summary.siteId, at: req.at }),
      );
      compensated.push('reservation released');
    }
    const tenders = history.filter((e) => e.type === 'STAGE_CHANGED' && e.stage === 'TENDERED');
    for (let attempt = 0; attempt < tenders.length; attempt++) {
      const carrierId = tenders[attempt]!.carrierId;
      if (!carrierId) continue;
      const tenderId = tenderIdFor(req.orderId, attempt);
      await deps.store.once(req.orderId, 'tender-cancel', tenderId, req.at, () => deps.systems.carrier.cancelTender({ tenderId, orderId: req.orderId, carrierId, at: req.at }));
      compensated.push(`tender ${tenderId} cancelled`);
    }
    await record(deps, req, 'DECISION', { stage: state.stage, details: { decision: 'CANCELLED', reason: req.reason, compensated } });
    if (state.stage !== 'CANCELLED') await changeStage(deps, state, req, 'CANCELLED', { status: 'CANCELLED' }, { reason: req.reason });
    for (const raised of history.filter((e) => e.type === 'EXCEPTION_RAISED')) {
      const closed = await deps.store.resolveException(String(raised.details?.exceptionId), 'CANCEL', orchestrator, req.at);
      if (closed) await record(deps, req, 'EXCEPTION_RESOLVED', { details: { exceptionId: closed.exceptionId, category: closed.category, resolution: 'CANCEL', closedWithOrder: true } });
    }
    return { cancelled: true, compensated };
  };
}
