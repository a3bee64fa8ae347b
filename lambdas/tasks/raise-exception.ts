import { z } from 'zod';
import { exceptionCategory, ownerTeam as ownerTeamSchema } from '../contracts';
import { recommendation as recommendationContract } from '../contracts/events';
import { exceptionIdFor, routeException } from '../domain/exceptions';
import type { ExceptionRecord, IncidentRecord } from '../ports';
import { carrierPatternCategories, incidentThreshold, newIncident, patternOf } from '../decisions/incidents';
import { templateSummarizer, withTemplateFallback, type RootCauseFacts, type RootCauseSummarizer } from '../decisions/summarizer';
import { triage } from '../decisions/triage';
import { changeStage, envelope, factId, loadOrder, parseInput, record, recordWaitEnded, taskInput } from './common';
import type { TaskDeps } from './deps';

const input = taskInput.extend({
  category: exceptionCategory,
  // A reason built from a failure's cause (a stack trace) can be long: it is cut, never a reason not to record the exception.
  reason: z.string().min(1).transform((r) => (r.length > 1000 ? `${r.slice(0, 999)}…` : r)),
  /** Set when the exception is an SLA breach (the name of the SLA). */
  slaBreached: z.string().optional(),
  /** The decision step's recommendation when the policy sends it to a person (lambdas/tasks/decide.ts). */
  recommendation: recommendationContract.extend({ approver: ownerTeamSchema, message: z.string().max(2000).optional() }).nullish(),
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

/** The recommendation as the events carry it (the contract's fields): the approver and the message are this step's. */
function contractRecommendation({ approver: _approver, message: _message, ...rec }: NonNullable<z.infer<typeof input>['recommendation']>) {
  return rec;
}

/**
 * Classifies an exception, records it with its owner and SLA, tells the owner (and whoever should
 * know), and for decisions a planner takes, publishes ApprovalRequested with the options. The next
 * state waits for the owner's decision; this task returns what that wait needs.
 */
export interface RaiseExceptionOptions {
  /** Writes the root-cause summary of incidents and approvals. @default the template */
  readonly summarizer?: RootCauseSummarizer;
}

export function makeRaiseException(deps: TaskDeps, options: RaiseExceptionOptions = {}) {
  const summarizer = withTemplateFallback(options.summarizer ?? templateSummarizer, (error) => deps.telemetry.count('SummaryFallback', 1, { reason: (error as Error)?.name ?? 'Error' }));
  return async function raiseException(raw: unknown) {
    const req = parseInput(input, raw);
    const state = await loadOrder(deps, req.orderId);
    const rec = req.recommendation?.choice ? req.recommendation : undefined;
    const classified = routeException(req.category, state.summary.customerPriority);
    // The policy names who decides a recommendation; otherwise the category's owner does.
    const baseRoute = rec ? { ...classified, ownerTeam: rec.approver } : classified;
    const contractRec = rec ? contractRecommendation(rec) : undefined;
    const exceptionId = exceptionIdFor(req.orderId, req.category, `${req.step}|${req.at}`);
    // Triage: the same pattern recurring in the window is one incident; context refines severity and the next action.
    const context = { category: req.category, siteId: state.summary.siteId, carrierId: state.carrierId, lane: state.lane };
    const pattern = patternOf(context);
    let incident: IncidentRecord | undefined;
    if (pattern) {
      const fresh = newIncident({ category: req.category, pattern, ownerTeam: baseRoute.ownerTeam, severity: baseRoute.severity, exceptionId, at: req.at });
      incident = (await deps.store.putIncident(fresh)) ? fresh : ((await deps.store.attachToIncident(fresh.incidentId, exceptionId, req.at)) ?? (await deps.store.getIncident(fresh.incidentId)));
    }
    const carrierLane = state.lane && state.carrierId && carrierPatternCategories.has(req.category) ? (await deps.store.laneStats(state.lane))[state.carrierId] : undefined;
    const triaged = triage({ ...context, route: baseRoute, carrierLane, patternCount: incident?.count ?? 0, riskScore: rec?.riskScore, recommendation: rec });
    const route = { ...baseRoute, severity: triaged.severity };
    const incidentRaisedNow = incident !== undefined && incident.count === incidentThreshold;
    const coveredByIncident = incident !== undefined && incident.count >= incidentThreshold;
    const facts: RootCauseFacts = {
      category: req.category,
      orderId: req.orderId,
      reason: req.reason,
      nextAction: triaged.nextAction,
      ...(incidentRaisedNow ? { pattern: incident!.pattern, count: incident!.count, windowStart: incident!.windowStart, windowEnd: incident!.windowEnd } : {}),
      ...(rec?.message ? { recommendation: rec.message } : {}),
      ...(carrierLane?.tenders ? { history: `${state.carrierId} accepted ${carrierLane.accepted} of ${carrierLane.tenders} tenders and delivered ${carrierLane.shipments - carrierLane.late} of ${carrierLane.shipments} on time on ${state.lane}` } : {}),
    };
    const summary = rec || incidentRaisedNow ? await summarizer.summarize(facts) : undefined;
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
      details: {
        exceptionId,
        category: req.category,
        severity: route.severity,
        ownerTeam: route.ownerTeam,
        reason: req.reason,
        dueAt,
        nextAction: triaged.nextAction,
        ...(triaged.raisedBecause.length ? { severityRaisedBecause: triaged.raisedBecause } : {}),
        ...(incident ? { incidentId: incident.incidentId, incidentCount: incident.count } : {}),
        ...(rec ? { recommendationId: rec.recommendationId } : {}),
      },
    });
    if (firstTime) deps.telemetry.count('ExceptionRaised', 1, { category: req.category });
    if (req.slaBreached) {
      if (firstTime) deps.telemetry.count('WaitTimedOut', 1, { wait: req.slaBreached });
      const waitKey = req.slaBreached === 'ship-confirmation' ? `SHIP#${req.orderId}` : req.slaBreached === 'delivery' ? `DELIVERY#${req.orderId}` : undefined;
      if (waitKey) await recordWaitEnded(deps, req.orderId, waitKey, 'TIMED_OUT', req.at, `${req.step}:${req.at}`);
      await record(deps, req, 'SLA_BREACHED', { stage: state.stage, carrierId: state.carrierId, lane: state.lane, details: { sla: req.slaBreached, exceptionId } });
    }
    const decisionByPlanner = req.category === 'CARRIER_CAPACITY' || rec?.kind === 'SITE';
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
          ...(contractRec ? { recommendation: contractRec } : {}),
          nextAction: triaged.nextAction,
          ...(incident ? { incidentId: incident.incidentId } : {}),
          ...(summary ? { summary: summary.slice(0, 2000) } : {}),
        }),
      },
    ];
    if (incidentRaisedNow) {
      events.push({
        detailType: 'IncidentRaised',
        detail: envelope(factId(incident!.incidentId, 'raised'), req.orderId, req.at, {
          orderId: req.orderId,
          incidentId: incident!.incidentId,
          category: req.category,
          pattern: incident!.pattern,
          severity: route.severity,
          ownerTeam: route.ownerTeam,
          count: incident!.count,
          windowStart: incident!.windowStart,
          windowEnd: incident!.windowEnd,
          exceptionIds: incident!.exceptionIds.slice(0, 50),
          nextAction: triaged.nextAction,
          summary: summary!.slice(0, 2000),
        }) as never,
      });
    }
    if (req.slaBreached) {
      events.push({
        detailType: 'SlaBreached',
        detail: envelope(factId(exceptionId, 'sla'), req.orderId, req.at, { orderId: req.orderId, stage: state.stage, sla: req.slaBreached, dueAt: req.at, breachedAt: req.at }) as never,
      });
    }
    if (decisionByPlanner) {
      const site = rec?.kind === 'SITE';
      const tendered = new Set((state.carriers ?? []).slice(0, 3).map((c) => c.carrierId));
      const ask = site
        ? {
            question: `${req.reason}. Approve shipping order ${req.orderId} from ${rec!.choice}, or cancel?`,
            options: ['APPROVE_ALTERNATE_SITE', 'CANCEL'],
            suggestedCarrierIds: [],
            suggestedSiteIds: [rec!.choice!],
          }
        : {
            question: `${req.reason}. Approve an alternate carrier, expedite, or cancel order ${req.orderId}?`,
            options: ['APPROVE_ALTERNATE_CARRIER', 'EXPEDITE', 'CANCEL'],
            suggestedCarrierIds: [...new Set([...(rec?.choice ? [rec.choice] : []), ...(state.carriers ?? []).map((c) => c.carrierId).filter((c) => !tendered.has(c))])],
          };
      events.push({
        detailType: 'ApprovalRequested',
        detail: envelope(factId(exceptionId, 'approval'), req.orderId, req.at, {
          orderId: req.orderId,
          approvalId: exceptionId,
          exceptionId,
          ...ask,
          ...(contractRec ? { recommendation: contractRec } : {}),
          ownerTeam: route.ownerTeam,
          dueAt,
        }) as never,
      });
      const details = { approvalId: exceptionId, ownerTeam: route.ownerTeam, dueAt, ...(site ? { recommendationId: rec!.recommendationId } : {}) };
      await record(deps, req, 'APPROVAL_REQUESTED', { stage: state.stage, lane: state.lane, details });
    }
    await deps.publisher.publish(events);
    if (incidentRaisedNow) {
      await deps.systems.notifications.notifyTeam({
        team: route.ownerTeam,
        orderId: req.orderId,
        subject: `Incident ${incident!.incidentId}: ${incident!.count} ${req.category} for ${incident!.pattern}`,
        message: `${summary} Later exceptions of this pattern attach to the incident; each order's decision stays in your queue.`,
        at: req.at,
        idempotencyKey: `${incident!.incidentId}:raised`,
      });
    }
    if (firstTime) {
      // Once an incident covers the pattern, the owner hears of it once, not once per exception.
      for (const team of [...(coveredByIncident ? [] : [route.ownerTeam]), ...route.informTeams]) {
        await deps.systems.notifications.notifyTeam({
          team,
          orderId: req.orderId,
          subject: `${route.severity} ${req.category} on order ${req.orderId}${team === route.ownerTeam ? ' (yours to decide)' : ''}`,
          message: `${req.reason}. Owner: ${route.ownerTeam}. Due ${dueAt}. Options: ${rec?.kind === 'SITE' ? 'APPROVE_ALTERNATE_SITE, CANCEL' : route.resolutions.join(', ')}. Suggested: ${triaged.nextAction}.${summary ? ` ${summary}` : ''}`,
          at: req.at,
          idempotencyKey: `${exceptionId}:${team}`,
        });
      }
    }
    if (decisionByPlanner && state.stage !== 'AWAITING_PLANNER') await changeStage(deps, state, req, 'AWAITING_PLANNER', {}, { exceptionId });
    return { exceptionId, category: req.category, severity: route.severity, ownerTeam: route.ownerTeam, slaSeconds: route.slaSeconds, dueAt };
  };
}
