import { z } from 'zod';
import { exceptionCategory } from '../contracts';
import { exceptionIdFor, routeException } from '../domain/exceptions';
import type { ExceptionRecord } from '../ports';
import { changeStage, envelope, factId, loadOrder, parseInput, record, recordWaitEnded, taskInput } from './common';
import type { TaskDeps } from './deps';

const input = taskInput.extend({
  category: exceptionCategory,
  reason: z.string().min(1).max(1000),
  /** Set when the exception is an SLA breach (the name of the SLA). */
  slaBreached: z.string().optional(),
});

const sourceOf: Record<z.infer<typeof exceptionCategory>, string> = {
  DATA_QUALITY: 'erp',
  STOCK_SHORT: 'wms',
  CARRIER_CAPACITY: 'carrier',
  SHIPMENT_LATE: 'wms',
  DELIVERY_DELAY: 'carrier',
  DELIVERY_FAILED: 'carrier',
  SYSTEM_FAILURE: 'orchestrator',
  CANCELLATION_TOO_LATE: 'erp',
  APPROVAL_OVERDUE: 'orchestrator',
};

/**
 * Classifies an exception, records it with its owner and SLA, tells the owner (and whoever should
 * know), and for decisions a planner takes, publishes ApprovalRequested with the options. The next
 * state waits for the owner's decision; this task returns what that wait needs.
 */
export function makeRaiseException(deps: TaskDeps) {
  return async function raiseException(raw: unknown) {
    const req = parseInput(input, raw);
    const state = await loadOrder(deps, req.orderId);
    const route = routeException(req.category, state.summary.customerPriority);
    const exceptionId = exceptionIdFor(req.orderId, req.category, `${req.step}|${req.at}`);
    const dueAt = new Date(Date.parse(req.at) + route.slaSeconds * 1000).toISOString();
    const sourceSystem = sourceOf[req.category];
    const exception: ExceptionRecord = {
      exceptionId,
      orderId: req.orderId,
      category: req.category,
      severity: route.severity,
      ownerTeam: route.ownerTeam,
      reason: req.reason,
      sourceSystem,
      raisedAt: req.at,
      dueAt,
      status: 'OPEN',
    };
    const firstTime = await deps.store.putException(exception);
    await record(deps, req, 'EXCEPTION_RAISED', {
      sourceSystem,
      stage: state.stage,
      siteId: state.summary.siteId,
      carrierId: state.carrierId,
      lane: state.lane,
      details: { exceptionId, category: req.category, severity: route.severity, ownerTeam: route.ownerTeam, reason: req.reason, dueAt },
    });
    if (firstTime) deps.telemetry.count('ExceptionRaised', 1, { category: req.category });
    if (req.slaBreached) {
      if (firstTime) deps.telemetry.count('WaitTimedOut', 1, { wait: req.slaBreached });
      const waitKey = req.slaBreached === 'ship-confirmation' ? `SHIP#${req.orderId}` : req.slaBreached === 'delivery' ? `DELIVERY#${req.orderId}` : undefined;
      if (waitKey) await recordWaitEnded(deps, req.orderId, waitKey, 'TIMED_OUT', req.at, `${req.step}:${req.at}`);
      await record(deps, req, 'SLA_BREACHED', { stage: state.stage, carrierId: state.carrierId, lane: state.lane, details: { sla: req.slaBreached, exceptionId } });
    }
    const decisionByPlanner = req.category === 'CARRIER_CAPACITY';
    const events = [
      {
        detailType: 'ExceptionRaised',
        detail: envelope(factId(exceptionId, 'raised'), req.orderId, req.at, {
          orderId: req.orderId,
          exceptionId,
          category: req.category,
          severity: route.severity,
          ownerTeam: route.ownerTeam,
          reason: req.reason,
          sourceSystem,
          dueAt,
        }),
      },
    ];
    if (req.slaBreached) {
      events.push({
        detailType: 'SlaBreached',
        detail: envelope(factId(exceptionId, 'sla'), req.orderId, req.at, { orderId: req.orderId, stage: state.stage, sla: req.slaBreached, dueAt: req.at, breachedAt: req.at }) as never,
      });
    }
    if (decisionByPlanner) {
      const tendered = new Set((state.carriers ?? []).slice(0, 3).map((c) => c.carrierId));
      events.push({
        detailType: 'ApprovalRequested',
        detail: envelope(factId(exceptionId, 'approval'), req.orderId, req.at, {
          orderId: req.orderId,
          approvalId: exceptionId,
          exceptionId,
          question: `${req.reason}. Approve an alternate carrier, expedite, or cancel order ${req.orderId}?`,
          options: ['APPROVE_ALTERNATE_CARRIER', 'EXPEDITE', 'CANCEL'],
          suggestedCarrierIds: (state.carriers ?? []).map((c) => c.carrierId).filter((c) => !tendered.has(c)),
          ownerTeam: route.ownerTeam,
          dueAt,
        }) as never,
      });
      await record(deps, req, 'APPROVAL_REQUESTED', { stage: state.stage, lane: state.lane, details: { approvalId: exceptionId, ownerTeam: route.ownerTeam, dueAt } });
    }
    await deps.publisher.publish(events);
    if (firstTime) {
      for (const team of [route.ownerTeam, ...route.informTeams]) {
        await deps.systems.notifications.notifyTeam({
          team,
          orderId: req.orderId,
          subject: `${route.severity} ${req.category} on order ${req.orderId}${team === route.ownerTeam ? ' (yours to decide)' : ''}`,
          message: `${req.reason}. Owner: ${route.ownerTeam}. Due ${dueAt}. Options: ${route.resolutions.join(', ')}.`,
          at: req.at,
          idempotencyKey: `${exceptionId}:${team}`,
        });
      }
    }
    if (decisionByPlanner && state.stage !== 'AWAITING_PLANNER') await changeStage(deps, state, req, 'AWAITING_PLANNER', {}, { exceptionId });
    return { exceptionId, category: req.category, severity: route.severity, ownerTeam: route.ownerTeam, slaSeconds: route.slaSeconds, dueAt };
  };
}
