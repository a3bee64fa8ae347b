import { z } from 'zod';
import { defaultSla, type SlaPolicy } from '../domain/sla';
import { exceptionIdFor, routeException } from '../domain/exceptions';
import type { OrderStatus, OrderSummary } from '../domain/order';
import { changeStage, envelope, factId, loadOrder, parseInput, record, recordWaitEnded, taskInput } from './common';
import type { TaskDeps } from './deps';

const input = taskInput.extend({
  stage: z.enum(['RELEASED', 'ON_HOLD', 'COMPLETED']),
  executionArn: z.string().optional(),
  exceptionId: z.string().nullish(),
  reason: z.string().nullish(),
});

const statusOf: Record<z.infer<typeof input>['stage'], OrderStatus> = { RELEASED: 'RUNNING', ON_HOLD: 'ON_HOLD', COMPLETED: 'COMPLETED' };

/**
 * Records the stages that involve no partner system: the release (returns the order summary and
 * SLA deadlines the workflow carries), completion, and putting an order on hold when its exception
 * owner did not decide in time (the exception stays open with its owner).
 */
export function makeRecordStage(deps: TaskDeps) {
  return async function recordStage(raw: unknown) {
    const req = parseInput(input, raw);
    const state = await loadOrder(deps, req.orderId);
    const status = statusOf[req.stage];
    const updated =
      req.stage === 'RELEASED' && state.stage === 'RELEASED' && state.executionArn === req.executionArn
        ? state
        : await changeStage(
            deps,
            state,
            req,
            req.stage,
            { status, ...(req.executionArn ? { executionArn: req.executionArn } : {}) },
            req.stage === 'RELEASED'
              ? { requestedShipDate: state.summary.requestedShipDate, promisedDeliveryDate: state.summary.promisedDeliveryDate, customerPriority: state.summary.customerPriority }
              : { reason: req.reason ?? undefined },
          );
    if (req.stage === 'ON_HOLD') {
      const exception = req.exceptionId ? await deps.store.getException(req.exceptionId) : undefined;
      if (exception?.status !== 'OPEN') {
        // An order on hold always has an open exception with an owner: the previous one was
        // answered (say, "keep waiting" too many times), so the hold itself becomes one.
        const category = exception?.category ?? 'SYSTEM_FAILURE';
        const route = routeException(category, state.summary.customerPriority);
        const exceptionId = exceptionIdFor(req.orderId, category, `${req.step}|${req.at}|hold`);
        const reason = `Order on hold (${req.reason ?? 'no applicable decision'})${exception ? `: ${exception.reason}` : ''}`;
        const dueAt = new Date(Date.parse(req.at) + route.slaSeconds * 1000).toISOString();
        if (await deps.store.putException({ exceptionId, orderId: req.orderId, category, severity: route.severity, ownerTeam: route.ownerTeam, reason, sourceSystem: 'orchestrator', raisedAt: req.at, dueAt, status: 'OPEN' })) {
          await record(deps, req, 'EXCEPTION_RAISED', { stage: state.stage, details: { exceptionId, category, severity: route.severity, ownerTeam: route.ownerTeam, reason, dueAt } });
          await deps.systems.notifications.notifyTeam({ team: route.ownerTeam, orderId: req.orderId, subject: `Order ${req.orderId} on hold`, message: reason, at: req.at, idempotencyKey: `${exceptionId}:${route.ownerTeam}` });
        }
      } else {
        await recordWaitEnded(deps, req.orderId, `DECISION#${exception.exceptionId}`, 'TIMED_OUT', req.at, `${req.step}:${req.at}`);
        await record(deps, req, 'SLA_BREACHED', { stage: state.stage, details: { exceptionId: req.exceptionId, sla: `${exception.category}-decision`, dueAt: exception.dueAt } });
        await deps.publisher.publish([
          {
            detailType: 'SlaBreached',
            detail: envelope(factId(req.orderId, req.step, req.at, 'SLA'), req.orderId, req.at, {
              orderId: req.orderId,
              stage: state.stage,
              sla: `${exception.category}-decision`,
              dueAt: exception.dueAt,
              breachedAt: req.at,
            }),
          },
        ]);
        await deps.systems.notifications.notifyTeam({
          team: exception.ownerTeam,
          orderId: req.orderId,
          subject: `Order ${req.orderId} on hold: ${exception.category} not decided in time`,
          message: `${exception.reason}. The exception stays open with ${exception.ownerTeam}; resolve it to resume the order.`,
          at: req.at,
          idempotencyKey: `${exception.exceptionId}:sla-breach:${exception.ownerTeam}`,
        });
      }
    }
    return { order: updated.summary, stage: updated.stage, sla: carriedSla(updated.summary, deps.sla ?? defaultSla) };
  };
}

/** The SLA deadlines the workflow carries in `$sla` (also given to a resumed execution by the reconciler). */
export function carriedSla(summary: OrderSummary, sla: SlaPolicy) {
  return {
    tenderResponseSeconds: sla.tenderResponseSeconds,
    extensionSeconds: sla.shipGraceSeconds,
    maxExtensions: sla.maxExtensions,
    shipBy: new Date(Date.parse(summary.requestedShipDate) + sla.shipGraceSeconds * 1000).toISOString(),
    deliverBy: new Date(Date.parse(summary.promisedDeliveryDate) + sla.deliveryGraceSeconds * 1000).toISOString(),
  };
}
