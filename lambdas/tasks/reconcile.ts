import { z } from 'zod';
import type { OrderState, Stage } from '../domain/order';
import type { SlaPolicy } from '../domain/sla';
import type { WorkflowInspector, WorkflowStarter, WorkflowStore } from '../ports';
import { factId, parseInput } from './common';
import { carriedSla } from './record-stage';

/** Where a resumed execution re-enters the workflow (the ASL's "Start or resume the order?" choice). */
export type ResumePoint = 'RELEASE' | 'VALIDATE' | 'WAVE' | 'LOAD' | 'DELIVERY' | 'INVOICE' | 'COMPLETE' | 'EXCEPTION' | 'CANCEL';

/**
 * The step to resume an order at, from its last recorded stage. Every step from there on is
 * idempotent (side-effect ledger, deterministic tender ids), so repeating a step that had already
 * acted does not act twice. Stages whose step needs what only the ended execution knew (a carrier's
 * confirmed pickup, a pending planner decision) are not resumed: a person decides (EXCEPTION).
 */
export function resumePointFor(state: Pick<OrderState, 'stage' | 'carrierId' | 'shipmentId'>): ResumePoint {
  const byStage: Partial<Record<Stage, ResumePoint>> = {
    RELEASED: 'RELEASE',
    VALIDATED: 'VALIDATE',
    ALLOCATED: 'WAVE',
    REALLOCATED: 'WAVE',
    WAVE_RELEASED: 'LOAD',
    LOAD_PLANNED: 'LOAD',
    // Re-tender from the top of the ranking: tenders already sent are not sent again (ledger by tender id).
    TENDERED: 'LOAD',
    SHIPPED: 'DELIVERY',
    IN_TRANSIT: 'DELIVERY',
    DELIVERED: 'INVOICE',
    INVOICED: 'COMPLETE',
  };
  const point = byStage[state.stage] ?? 'EXCEPTION';
  if (point === 'DELIVERY' && (!state.carrierId || !state.shipmentId)) return 'EXCEPTION';
  return point;
}

/** The n-th resumed execution of an order is named `<orderId>-r<n>`: deterministic, so StartExecution's name idempotency starts it once. */
export function resumedExecutionName(orderId: string, currentExecutionArn: string | undefined): string {
  const current = currentExecutionArn?.split(':').pop() ?? orderId;
  const match = new RegExp(`^${orderId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-r(\\d+)$`).exec(current);
  return `${orderId}-r${match ? Number(match[1]) + 1 : 1}`;
}

/** Resumed executions per order before the reconciler hands the order to a person. */
export const maxResumes = 3;

const endedStatuses = new Set(['FAILED', 'ABORTED', 'TIMED_OUT']);

export interface ReconcileDeps {
  readonly store: WorkflowStore;
  readonly inspector: WorkflowInspector;
  readonly starter: WorkflowStarter;
  readonly sla: SlaPolicy;
}

const input = z.object({
  /** Business time of the run (the schedule's time). */
  at: z.iso.datetime({ offset: true }),
  /** Orders not updated for this long are checked. @default 3600 */
  staleAfterSeconds: z.number().int().positive().default(3600),
  /**
   * Orders quiet for longer than this are no longer checked (an order waiting days for delivery
   * would be checked every run). Runs every 15 minutes check each quiet order about 90 times in the
   * default day; a check is cheap (one ListExecutions per ended status per run, a DescribeExecution
   * only for an order whose execution ended). @default 86400
   */
  lookbackSeconds: z.number().int().positive().default(86_400),
  /** At most this many RUNNING orders, and as many ON_HOLD orders, checked per run. @default 500 */
  limit: z.number().int().positive().max(5000).default(500),
});

export interface ReconcileAction {
  readonly orderId: string;
  readonly executionStatus: string;
  readonly action: 'RESUMED' | 'RAISED_EXCEPTION';
  readonly resumeFrom: ResumePoint;
  readonly executionArn: string;
}

const reconciler = { type: 'system' as const, id: 'reconciler', role: 'orchestrator' };

/**
 * Continuity (issue #5): finds orders still RUNNING in the store whose execution ended without
 * finishing them (failed, aborted, timed out) and resumes each from its last recorded stage in a new
 * execution, or, where that is not safe, starts one that raises a SYSTEM_FAILURE exception for its
 * owner; and orders ON_HOLD whose exceptions were all answered after the hold (resumeAnsweredHold).
 * Running it twice starts nothing twice: the new execution's name is deterministic, and the order's
 * state then points at it (a running execution is left alone).
 */
export function makeReconcile(deps: ReconcileDeps) {
  return async function reconcile(raw: unknown): Promise<{ checked: number; actions: ReconcileAction[] }> {
    const req = parseInput(input, raw);
    const before = new Date(Date.parse(req.at) - req.staleAfterSeconds * 1000).toISOString();
    const from = new Date(Date.parse(req.at) - (req.staleAfterSeconds + req.lookbackSeconds) * 1000).toISOString();
    // Most quiet orders are waiting for a carrier or a delivery: their ids and ARNs are enough to
    // tell; only an order whose execution ended is read in full (afresh) before acting.
    const stale = await deps.store.orderRefsLastUpdatedBetween('RUNNING', from, before, req.limit);
    const actions: ReconcileAction[] = [];
    const onHold = await deps.store.ordersLastUpdatedBetween('ON_HOLD', from, before, req.limit);
    for (const order of onHold) {
      const action = await resumeAnsweredHold(deps, order, req.at);
      if (action) actions.push(action);
    }
    if (stale.length === 0) return { checked: onHold.length, actions };
    // Which executions ended (a few ListExecutions calls), rather than a DescribeExecution for every
    // order that is quietly waiting for a carrier or a delivery.
    const ended = new Set((await deps.inspector.listEnded(from)).map((e) => e.executionArn));
    for (const ref of stale) {
      // An execution that ended before it recorded the release has not put its ARN on the order: it is named after the order.
      const executionArn = ref.executionArn ?? [...ended].find((arn) => arn.endsWith(`:${ref.orderId}`));
      if (!executionArn || !ended.has(executionArn)) continue;
      const stored = await deps.store.getOrder(ref.orderId);
      if (stored?.status !== 'RUNNING' || (stored.executionArn ?? executionArn) !== executionArn) continue;
      const order = { ...stored, executionArn };
      // Confirms the status (and reads its error) before acting.
      const execution = await deps.inspector.describe(executionArn);
      if (!execution || !endedStatuses.has(execution.status)) continue;
      actions.push(await resume(deps, order, execution, req.at));
    }
    return { checked: stale.length + onHold.length, actions };
  };
}

/**
 * An order on hold whose exceptions have all been answered since its execution ended (a planner's
 * answer that came after the decision SLA had put the order on hold, with no wait left to take it):
 * resumed from its last stage, or cancelled when the last answer was CANCEL. Otherwise it would sit
 * on hold with no open exception, owned by nobody.
 */
async function resumeAnsweredHold(deps: ReconcileDeps, order: OrderState, at: string): Promise<ReconcileAction | undefined> {
  if (order.status !== 'ON_HOLD' || !order.executionArn) return undefined;
  const orderId = order.summary.orderId;
  const ids = [...new Set((await deps.store.history(orderId)).filter((e) => e.type === 'EXCEPTION_RAISED').map((e) => (e.details as { exceptionId?: string } | undefined)?.exceptionId).filter((id): id is string => !!id))];
  const exceptions = (await Promise.all(ids.map((id) => deps.store.getException(id)))).filter((e) => e !== undefined);
  if (exceptions.length === 0 || exceptions.some((e) => e.status === 'OPEN')) return undefined;
  const execution = await deps.inspector.describe(order.executionArn);
  if (!execution || execution.status === 'RUNNING' || execution.status === 'PENDING_REDRIVE') return undefined;
  const last = exceptions.reduce((a, b) => ((b.resolvedAt ?? '') > (a.resolvedAt ?? '') ? b : a));
  const reason = `${last.category} answered ${last.resolution ?? 'RESOLVED'} by ${last.resolvedBy?.id ?? 'someone'} after the order went on hold`;
  return resume(deps, order, { ...execution, error: 'AnsweredOnHold', cause: reason }, at, last.resolution === 'CANCEL' ? 'CANCEL' : undefined);
}

async function resume(deps: ReconcileDeps, order: OrderState, execution: { status: string; error?: string; cause?: string }, at: string, point?: ResumePoint): Promise<ReconcileAction> {
  const orderId = order.summary.orderId;
  const name = resumedExecutionName(orderId, order.executionArn);
  // An order whose resumed executions keep ending is not resumed forever: a person looks at it.
  const resumeFrom = Number(name.slice(name.lastIndexOf('-r') + 2)) > maxResumes ? 'EXCEPTION' : point ?? resumePointFor(order);
  const ended = `execution ${order.executionArn!.split(':').pop()} ${execution.status}${execution.error ? ` (${execution.error})` : ''}`;
  // The input depends only on the order's recorded state, so a second run sends the same input and
  // StartExecution returns the same execution instead of starting another.
  const workflowInput = {
    orderId,
    resumeFrom,
    resumedStage: order.stage,
    order: order.summary,
    sla: carriedSla(order.summary, deps.sla),
    ...(resumeFrom === 'DELIVERY' ? { shipment: { carrierId: order.carrierId, shipmentId: order.shipmentId } } : {}),
    ...(resumeFrom === 'CANCEL' ? { reason: execution.cause ?? 'cancelled after the order went on hold' } : {}),
    ...(resumeFrom === 'EXCEPTION' ? { failedStep: `Stage ${order.stage}`, failure: { Error: `Execution${execution.status}`, Cause: `${ended}; the order cannot be resumed safely from ${order.stage}` } } : {}),
  };
  const started = await deps.starter.start({ name, input: workflowInput });
  const action: ReconcileAction = { orderId, executionStatus: execution.status, action: resumeFrom === 'EXCEPTION' ? 'RAISED_EXCEPTION' : 'RESUMED', resumeFrom, executionArn: started.executionArn };
  await deps.store.append({
    eventId: factId(orderId, 'RECONCILE', name),
    orderId,
    type: 'DECISION',
    at,
    actor: reconciler,
    sourceSystem: 'orchestrator',
    stage: order.stage,
    details: {
      decision: action.action === 'RESUMED' ? 'RESUME_ENDED_EXECUTION' : 'RAISE_EXCEPTION_FOR_ENDED_EXECUTION',
      reason: ended,
      resumeFrom,
      executionName: name,
      ...(execution.cause ? { cause: execution.cause.slice(0, 500) } : {}),
    },
  });
  if (order.executionArn !== started.executionArn) {
    // Points the order at its new execution, so the next run describes that one. A lost race means
    // another run (or the new execution itself) already moved the order on: nothing to do.
    try {
      await deps.store.updateOrder(orderId, order.version, { executionArn: started.executionArn, updatedAt: at });
    } catch (error) {
      if ((error as Error).name !== 'ConcurrentUpdate') throw error;
    }
  }
  return action;
}
