import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidTaskInput, OrderCancelled, OrderNotFound } from '../domain/errors';
import { hasShipped, type Actor, type OrderLine, type OrderState, type Stage } from '../domain/order';
import { isOpen, type BreakerState } from '../domain/circuit-breaker';
import type { EffectKey, EffectsRead, LogEntry, WorkflowStore } from '../ports';
import type { TaskDeps } from './deps';

/** Fields the state machine passes to every task: the order, the business time and the step. */
export const taskInput = z.object({
  orderId: z.string().min(1),
  /** `$states.context.State.EnteredTime`: the business time of the step (stable across Lambda retries). */
  at: z.iso.datetime({ offset: true }),
  /** `$states.context.State.Name`. */
  step: z.string().min(1),
});
export type TaskInput = z.infer<typeof taskInput>;

export const orchestrator: Actor = { type: 'system', id: 'order-to-ship', role: 'orchestrator' };

/** Parses a task's input; a mismatch is a non-retryable error naming the fields. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidTaskInput(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/** A deterministic id for a fact, so that re-running a step records it once. */
export function factId(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('|')).digest('base64url').slice(0, 22);
}

/** The order a task was started for: a step never runs for an order the store does not know. */
function known(state: OrderState | undefined, orderId: string): OrderState {
  if (!state) throw new OrderNotFound(`order ${orderId} is not in the workflow store`);
  return state;
}

export async function loadOrder(deps: TaskDeps, orderId: string): Promise<OrderState> {
  return known(await deps.store.getOrder(orderId), orderId);
}

/** Loads the order with its lines, in one read. */
export async function loadOrderWithLines(deps: TaskDeps, orderId: string): Promise<{ state: OrderState; lines: OrderLine[] }> {
  const read = await deps.store.getOrderWithLines(orderId);
  return { state: known(read.state, orderId), lines: read.lines };
}

/** Loads the order with the records of the side effects the task may run, in one read (pass `effects` on to `once`). */
export async function loadOrderWithEffects(deps: TaskDeps, orderId: string, effects: readonly EffectKey[]): Promise<{ state: OrderState; effects: EffectsRead }> {
  const read = await deps.store.getOrderWithEffects(orderId, effects);
  return { state: known(read.state, orderId), effects: read.effects };
}

/** Stops a task when a cancellation arrived and the goods have not left: the ASL catches OrderCancelled and compensates. */
export function ensureNotCancelled(state: OrderState): void {
  if (state.cancelRequested && !hasShipped(state.stage)) {
    throw new OrderCancelled(`order ${state.summary.orderId} was cancelled: ${state.cancelRequested.reason}`);
  }
}

/**
 * Moves an order to a stage: appends STAGE_CHANGED to the log, updates the state with optimistic
 * locking, and publishes OrderStageChanged. Idempotent per (order, step, time): a retried step
 * writes nothing twice.
 */
export async function changeStage(
  deps: TaskDeps,
  state: OrderState,
  input: TaskInput,
  toStage: Stage,
  patch: Partial<Omit<OrderState, 'version' | 'stage'>> = {},
  details: Record<string, unknown> = {},
): Promise<OrderState> {
  const next = { ...state, ...patch };
  const entry: LogEntry = {
    eventId: factId(input.orderId, input.step, input.at, 'STAGE', toStage),
    orderId: input.orderId,
    type: 'STAGE_CHANGED',
    at: input.at,
    actor: orchestrator,
    sourceSystem: 'orchestrator',
    stage: toStage,
    fromStage: state.stage,
    siteId: next.summary.siteId,
    carrierId: next.carrierId,
    lane: next.lane,
    details: { step: input.step, ...details },
  };
  const firstTime = await deps.store.append(entry);
  const updated =
    state.stage === toStage && !firstTime && Object.keys(patch).length === 0
      ? state
      : await deps.store.updateOrder(input.orderId, state.version, { ...patch, stage: toStage, updatedAt: input.at });
  await deps.publisher.publish([
    {
      detailType: 'OrderStageChanged',
      detail: envelope(entry.eventId, input.orderId, input.at, {
        orderId: input.orderId,
        fromStage: state.stage,
        toStage,
        actor: orchestrator,
        sourceSystem: 'orchestrator',
        siteId: next.summary.siteId,
        carrierId: next.carrierId,
        lane: next.lane,
      }),
    },
  ]);
  return updated;
}

/** Appends a log entry built from the task input (the common case for decisions and side effects). */
export function record(deps: TaskDeps, input: TaskInput, type: LogEntry['type'], fields: Omit<LogEntry, 'eventId' | 'orderId' | 'type' | 'at' | 'actor' | 'sourceSystem'> & { sourceSystem?: string; actor?: Actor }): Promise<boolean> {
  return deps.store.append({
    eventId: factId(input.orderId, input.step, input.at, type, JSON.stringify(fields.details ?? {})),
    orderId: input.orderId,
    type,
    at: input.at,
    actor: fields.actor ?? orchestrator,
    sourceSystem: fields.sourceSystem ?? 'orchestrator',
    ...fields,
  });
}

/** The common envelope of the orchestrator's own events. */
export function envelope<D>(eventId: string, orderId: string, at: string, data: D) {
  return { schemaVersion: '1', eventId, correlationId: orderId, occurredAt: at, producer: 'order-to-ship', data };
}

/** Records the end of a wait (process intelligence measures waiting time from WAIT_STARTED to this). */
export async function recordWaitEnded(deps: Pick<TaskDeps, 'store'>, orderId: string, key: string, outcome: 'ANSWERED' | 'TIMED_OUT' | 'CANCELLED', at: string, cause: string, system = 'orchestrator') {
  await deps.store.append({
    eventId: factId(cause, 'WAIT_ENDED', key),
    orderId,
    type: 'WAIT_ENDED',
    at,
    actor: { type: 'system', id: system },
    sourceSystem: system,
    details: { kind: key.split('#')[0] === 'SHIP' ? 'SHIP_CONFIRMATION' : key.split('#')[0], key, outcome },
  });
}

/**
 * Whether a carrier is down: its breaker's state when the breaker is open at `at` (a carrier whose
 * cool-down has passed is not: the next call is the probe), else undefined.
 */
export async function carrierCircuitOpen(store: Pick<WorkflowStore, 'getBreaker'>, carrierId: string, at: string): Promise<BreakerState | undefined> {
  const breaker = await store.getBreaker('carrier', carrierId);
  return breaker && isOpen(breaker.state, at) ? breaker.state : undefined;
}
