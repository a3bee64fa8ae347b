import { PutRuleCommand, PutTargetsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDbWorkflowStore } from '../../lambdas/adapters/aws/dynamodb-store';
import { sources } from '../../lambdas/contracts';
import type { LocalRuntime } from '../runtime/runtime';
import { names } from '../runtime/runtime';
import { opsDecision, type Ask } from './ops-desk';

/** The PutEvents entry of a planner's answer (ApprovalDecided or ExceptionResolved), as of `at`. */
export type DecisionEntry = ReturnType<typeof decisionEntry>;

/**
 * The operations desk on a runtime: a subscriber to ExceptionRaised that answers as the teams would
 * (`opsDecision`), handing each answer to `answer` with the time it is due; the caller decides how
 * it is sent then (a clock timer, or a durable one-time schedule).
 */
export async function installOpsDesk(
  runtime: LocalRuntime,
  options: { seed: number; store: DynamoDbWorkflowStore; events: EventBridgeClient; answer: (dueMs: number, entry: DecisionEntry, ask: Ask) => void | Promise<void> },
): Promise<void> {
  const { store, seed } = options;
  const clock = runtime.options.clock;
  runtime.runner.register({
    name: 'ScenarioOpsDesk',
    handler: async (event) => {
      const ask = (event as { detail: { data: Ask } }).detail.data;
      const order = await store.getOrder(ask.orderId);
      const tried = new Set((await store.history(ask.orderId)).filter((e) => e.stage === 'TENDERED').map((e) => e.carrierId));
      const alternate = order?.carriers?.find((c) => !tried.has(c.carrierId))?.carrierId;
      const answer = opsDecision(seed, ask, alternate);
      if (!answer) return;
      const due = clock.now() + answer.minutes * 60_000;
      await options.answer(due, decisionEntry(ask, answer.resolution, answer.carrierId, new Date(due).toISOString(), answer.siteId), ask);
    },
  });
  await options.events.send(new PutRuleCommand({ Name: 'ScenarioOpsDesk', EventBusName: names.bus, EventPattern: JSON.stringify({ source: [sources.orchestrator], 'detail-type': ['ExceptionRaised'] }) }));
  await options.events.send(new PutTargetsCommand({ Rule: 'ScenarioOpsDesk', EventBusName: names.bus, Targets: [{ Id: 'ops-desk', Arn: runtime.runner.arnOf('ScenarioOpsDesk') }] }));
}

function decisionEntry(ask: Ask, resolution: string, carrierId: string | undefined, at: string, siteId?: string) {
  const approval = ask.category === 'CARRIER_CAPACITY' || resolution === 'APPROVE_ALTERNATE_SITE';
  const by = { type: 'person' as const, id: `${ask.ownerTeam}-desk`, role: ask.ownerTeam };
  const data = approval
    ? { orderId: ask.orderId, approvalId: ask.exceptionId, decision: resolution, ...(carrierId ? { carrierId } : {}), ...(siteId ? { siteId } : {}), decidedBy: by }
    : { orderId: ask.orderId, exceptionId: ask.exceptionId, resolution, resolvedBy: by };
  return {
    EventBusName: names.bus,
    Source: sources.ops,
    DetailType: approval ? 'ApprovalDecided' : 'ExceptionResolved',
    Detail: JSON.stringify({ schemaVersion: '1', eventId: `ops-${ask.exceptionId}`, correlationId: ask.orderId, occurredAt: at, producer: 'ops-desk', data }),
    Time: new Date(at),
  };
}
