import { isEvent, parseEvent, type ParseResult } from '../contracts';
import { ConcurrentUpdate } from '../domain/errors';
import { classifyMilestone, describeMilestone } from '../domain/milestones';
import { hasShipped, type Actor } from '../domain/order';
import type { Delivery, LogEntry } from '../ports';
import { factId, recordWaitEnded } from './common';
import { applyAdvance, deliver, type DeliveryOutcome } from './correlation';
import type { TaskDeps } from './deps';
import { waitKeys } from './await-event';
import { exceptionIdFor, routeException } from '../domain/exceptions';
import { countDelivery, countTenderAnswer } from '../decisions/lane-stats';

/** An EventBridge event as the correlator receives it. */
export interface InboundEvent {
  readonly id?: string;
  readonly source?: string;
  readonly 'detail-type': string;
  readonly time?: string;
  readonly detail: unknown;
}

export type CorrelationResult =
  | { status: 'QUARANTINED'; code: string; reason: string }
  | { status: 'RECORDED'; duplicate: boolean }
  | { status: DeliveryOutcome; key: string };

const partner = (system: string): Actor => ({ type: 'system', id: system });


/** The wait an event answers, when the event alone tells (a milestone's depends on the order). */
function answeredWait(parsed: Extract<ParseResult, { ok: true }>, orderId: string): string | undefined {
  if (isEvent(parsed, 'TenderAccepted') || isEvent(parsed, 'TenderRejected')) return waitKeys.tender(parsed.envelope.data.tenderId);
  if (isEvent(parsed, 'ShipConfirmed')) return waitKeys.ship(orderId);
  if (isEvent(parsed, 'ProofOfDelivery')) return waitKeys.delivery(orderId);
  if (isEvent(parsed, 'ExceptionResolved')) return waitKeys.decision(parsed.envelope.data.exceptionId);
  if (isEvent(parsed, 'ApprovalDecided')) return waitKeys.decision(parsed.envelope.data.approvalId);
  return undefined;
}

/**
 * The correlator: checks each partner event against its contract (quarantining what fails, with the
 * reason), records it in the order's event log, and resumes the workflow waiting for it. Routine
 * milestones are recorded and passed on to the customer without waking the workflow.
 */
export function makeCorrelateEvent(deps: TaskDeps) {
  async function quarantine(event: InboundEvent, code: string, reason: string, receivedAt: string): Promise<CorrelationResult> {
    const id = event.id ?? factId(JSON.stringify(event));
    await deps.store.quarantine({ id, receivedAt, source: event.source, detailType: event['detail-type'], code, reason, event });
    return { status: 'QUARANTINED', code, reason };
  }

  return async function correlateEvent(event: InboundEvent, receivedAt: string): Promise<CorrelationResult> {
    const parsed: ParseResult = parseEvent(event['detail-type'], event.source, event.detail);
    if (!parsed.ok) return quarantine(event, parsed.violation.code, parsed.violation.reason, receivedAt);
    const { envelope } = parsed;
    const orderId = envelope.correlationId;
    const at = envelope.occurredAt;
    const system = parsed.type === 'ApprovalDecided' || parsed.type === 'ExceptionResolved' ? 'ops' : event.source?.replace(/^logistics\./, '') ?? 'unknown';
    // Read with the order: a routine milestone's notification record (it may notify the customer),
    // and the wait an answer goes to (a later registration is caught by the mailbox protocol).
    const notification = isEvent(parsed, 'ShipmentMilestone') ? { kind: 'notification', key: `milestone-${parsed.envelope.data.statusCode}` } : undefined;
    const answers = answeredWait(parsed, orderId);
    const { state, effects, wait: answeredWaitRead } = await deps.store.getOrderWithEffects(orderId, notification ? [notification] : [], answers ? { wait: answers } : {});
    if (!state) return quarantine(event, 'UNKNOWN_ORDER', `detail.correlationId: order '${orderId}' is not known to the orchestrator`, receivedAt);

    const finished = state.status === 'COMPLETED' || state.status === 'CANCELLED';
    const entry: LogEntry = {
      eventId: envelope.eventId,
      orderId,
      type: parsed.type === 'ShipmentMilestone' ? 'MILESTONE' : parsed.type === 'ApprovalDecided' ? 'APPROVAL_DECIDED' : parsed.type === 'ExceptionResolved' ? 'EXCEPTION_RESOLVED' : 'PARTNER_EVENT',
      at,
      actor: isEvent(parsed, 'ApprovalDecided') ? parsed.envelope.data.decidedBy : isEvent(parsed, 'ExceptionResolved') ? parsed.envelope.data.resolvedBy : partner(system),
      sourceSystem: system,
      stage: state.stage,
      siteId: state.summary.siteId,
      carrierId: (envelope.data as { carrierId?: string }).carrierId ?? state.carrierId,
      lane: state.lane,
      details: { eventType: parsed.type, ...(envelope.data as object), ...(finished ? { late: true } : {}) },
    };
    const firstTime = await deps.store.append(entry);

    const send = async (key: string, delivery: Delivery): Promise<CorrelationResult> => {
      const status = await deliver(deps, key, envelope.eventId, delivery, at, state, key === answers ? answeredWaitRead : undefined);
      if (status === 'DELIVERED') await recordWaitEnded(deps, orderId, key, 'failure' in delivery ? 'CANCELLED' : 'ANSWERED', at, envelope.eventId, system);
      return { status, key };
    };

    if (isEvent(parsed, 'TenderAccepted')) {
      const d = parsed.envelope.data;
      if (state.lane) await countTenderAnswer(deps, { orderId, lane: state.lane, carrierId: d.carrierId, tenderId: d.tenderId, accepted: true, at });
      return send(waitKeys.tender(d.tenderId), {
        output: { outcome: 'ACCEPTED', carrierId: d.carrierId, tenderId: d.tenderId, pickupAt: d.pickupAt ?? null },
        advance: { orderId, toStage: 'CARRIER_CONFIRMED', at, system, patch: { carrierId: d.carrierId } },
      });
    }
    if (isEvent(parsed, 'TenderRejected')) {
      const d = parsed.envelope.data;
      if (state.lane) await countTenderAnswer(deps, { orderId, lane: state.lane, carrierId: d.carrierId, tenderId: d.tenderId, accepted: false, at });
      return send(waitKeys.tender(d.tenderId), { output: { outcome: 'REJECTED', carrierId: d.carrierId, tenderId: d.tenderId, reasonCode: d.reasonCode } });
    }
    if (isEvent(parsed, 'ShipConfirmed')) {
      const d = parsed.envelope.data;
      return send(waitKeys.ship(orderId), {
        output: { outcome: 'SHIPPED', shipmentId: d.shipmentId, carrierId: d.carrierId, trackingNumber: d.trackingNumber, shippedAt: d.shippedAt },
        advance: { orderId, toStage: 'SHIPPED', at: d.shippedAt, system, patch: { shipmentId: d.shipmentId, carrierId: d.carrierId }, fact: true },
      });
    }
    if (isEvent(parsed, 'ShipmentMilestone')) {
      const d = parsed.envelope.data;
      const kind = classifyMilestone(d.statusCode, d.estimatedDeliveryAt, state.summary.promisedDeliveryDate);
      if (kind === 'ROUTINE') {
        if (!finished) {
          // Not only on first sight: a redelivered event must still notify if the first try failed (the ledger sends once).
          if (d.statusCode === 'AF' || d.statusCode === 'X6') await applyAdvance(deps.store, { orderId, toStage: 'IN_TRANSIT', at, system }, envelope.eventId, state);
          await deps.store.once(
            orderId,
            'notification',
            `milestone-${d.statusCode}`,
            at,
            async () => {
              await deps.systems.notifications.notifyCustomer({ orderId, customerId: state.summary.customerId, topic: d.statusCode, message: `Order ${orderId}: ${describeMilestone(d.statusCode)}.`, at, idempotencyKey: `${orderId}:milestone:${d.statusCode}` });
              return { statusCode: d.statusCode };
            },
            effects,
          );
        }
        return { status: 'RECORDED', duplicate: !firstTime };
      }
      const outcome = kind === 'DELAY' ? 'DELAYED' : 'FAILED';
      return send(waitKeys.delivery(orderId), {
        output: { outcome, statusCode: d.statusCode, description: describeMilestone(d.statusCode), estimatedDeliveryAt: d.estimatedDeliveryAt ?? null, reason: d.reason ?? null },
      });
    }
    if (isEvent(parsed, 'ProofOfDelivery')) {
      const d = parsed.envelope.data;
      if (state.lane) await countDelivery(deps, { orderId, lane: state.lane, carrierId: d.carrierId, deliveredAt: d.deliveredAt, promisedDeliveryDate: state.summary.promisedDeliveryDate, promiseMoved: state.promiseMovedFrom !== undefined });
      return send(waitKeys.delivery(orderId), {
        output: { outcome: 'DELIVERED', deliveredAt: d.deliveredAt, signedBy: d.signedBy },
        advance: { orderId, toStage: 'DELIVERED', at: d.deliveredAt, system, fact: true },
      });
    }
    if (isEvent(parsed, 'ExceptionResolved') || isEvent(parsed, 'ApprovalDecided')) {
      const d = parsed.envelope.data;
      const exceptionId = 'exceptionId' in d ? d.exceptionId : d.approvalId;
      const resolution = 'resolution' in d ? d.resolution : d.decision;
      const by = 'resolvedBy' in d ? d.resolvedBy : d.decidedBy;
      await deps.store.resolveException(exceptionId, resolution, by, at);
      return send(waitKeys.decision(exceptionId), {
        output: { resolution, carrierId: 'carrierId' in d ? d.carrierId ?? null : null, siteId: 'siteId' in d ? d.siteId ?? null : null, decidedBy: by, note: d.note ?? null },
      });
    }
    if (isEvent(parsed, 'OrderCancelled')) {
      const d = parsed.envelope.data;
      if (finished || hasShipped(state.stage)) {
        const route = routeException('CANCELLATION_TOO_LATE', state.summary.customerPriority);
        const exceptionId = exceptionIdFor(orderId, 'CANCELLATION_TOO_LATE', envelope.eventId);
        const raised = await deps.store.putException({
          exceptionId, orderId, category: 'CANCELLATION_TOO_LATE', severity: route.severity, ownerTeam: route.ownerTeam,
          reason: `Cancellation received after shipment (${state.stage}): ${d.reason}`, sourceSystem: 'erp', raisedAt: at,
          dueAt: new Date(Date.parse(at) + route.slaSeconds * 1000).toISOString(), status: 'OPEN',
        });
        if (raised) {
          await deps.store.append({ eventId: factId(envelope.eventId, 'EXC'), orderId, type: 'EXCEPTION_RAISED', at, actor: partner('erp'), sourceSystem: 'erp', stage: state.stage, details: { exceptionId, category: 'CANCELLATION_TOO_LATE', ownerTeam: route.ownerTeam, severity: route.severity, dueAt: new Date(Date.parse(at) + route.slaSeconds * 1000).toISOString() } });
          await deps.systems.notifications.notifyTeam({ team: route.ownerTeam, orderId, subject: `Late cancellation of order ${orderId}`, message: `The order has already shipped (${state.stage}); arrange a return if the customer wants one.`, at, idempotencyKey: `${exceptionId}:${route.ownerTeam}` });
        }
        return { status: 'RECORDED', duplicate: !raised };
      }
      for (let attempt = 0; attempt < 5; attempt++) {
        const current = (await deps.store.getOrder(orderId))!;
        if (current.cancelRequested) break;
        try {
          await deps.store.updateOrder(orderId, current.version, { cancelRequested: { reason: d.reason, at }, updatedAt: current.updatedAt });
          break;
        } catch (error) {
          if (!(error instanceof ConcurrentUpdate)) throw error;
        }
      }
      const wait = await deps.store.getActiveWait(orderId);
      if (wait && wait.kind !== 'DECISION' && wait.kind !== 'DELIVERY') {
        return send(wait.key, { failure: { error: 'OrderCancelled', cause: `Cancelled by ${d.cancelledBy.id}: ${d.reason}` } });
      }
      if (wait?.kind === 'DECISION') {
        return send(wait.key, { output: { resolution: 'CANCEL', decidedBy: d.cancelledBy, note: d.reason, carrierId: null } });
      }
      return { status: 'RECORDED', duplicate: !firstTime };
    }
    // WaveReleased, ShipmentPacked, LoadPlanned, InvoiceReleased: facts for the log only.
    return { status: 'RECORDED', duplicate: !firstTime };
  };
}
