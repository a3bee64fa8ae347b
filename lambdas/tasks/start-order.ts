import { isEvent, parseEvent } from '../contracts';
import { summarize } from '../domain/order';
import type { WorkflowStarter, WorkflowStore } from '../ports';
import type { InboundEvent } from './correlate-event';
import { factId } from './common';

export interface StarterDeps {
  readonly store: WorkflowStore;
  readonly starter: WorkflowStarter;
}

export type StartResult =
  | { status: 'STARTED' | 'ALREADY_STARTED'; orderId: string; executionArn: string }
  | { status: 'QUARANTINED'; code: string; reason: string };

/**
 * Starts one workflow per released order. The order is checked against its contract (a refused
 * release is quarantined with the reason, never dropped), stored in full (the claim check: the
 * workflow carries only the order id), and started with the order id as execution name, so a
 * duplicate release starts nothing twice.
 */
export function makeStartOrder(deps: StarterDeps) {
  return async function startOrder(event: InboundEvent, receivedAt: string): Promise<StartResult> {
    const parsed = parseEvent(event['detail-type'], event.source, event.detail);
    if (!parsed.ok || !isEvent(parsed, 'OrderReleased')) {
      const code = parsed.ok ? 'WRONG_ROUTE' : parsed.violation.code;
      const reason = parsed.ok ? `detail-type: expected OrderReleased, got ${parsed.type}` : parsed.violation.reason;
      await deps.store.quarantine({ id: event.id ?? factId(JSON.stringify(event)), receivedAt, source: event.source, detailType: event['detail-type'], code, reason, event });
      return { status: 'QUARANTINED', code, reason };
    }
    const { data, eventId, occurredAt } = parsed.envelope;
    const { created } = await deps.store.createOrder(summarize(data), data.lines, occurredAt);
    const started = await deps.starter.start({ name: data.orderId, input: { orderId: data.orderId, releaseEventId: created ? eventId : undefined } });
    if (!created) {
      await deps.store.append({
        eventId: factId(eventId, 'DUPLICATE_RELEASE'),
        orderId: data.orderId,
        type: 'PARTNER_EVENT',
        at: occurredAt,
        actor: { type: 'system', id: 'erp' },
        sourceSystem: 'erp',
        details: { eventType: 'OrderReleased', duplicate: true, eventId },
      });
    }
    return { status: started.alreadyStarted || !created ? 'ALREADY_STARTED' : 'STARTED', orderId: data.orderId, executionArn: started.executionArn };
  };
}
