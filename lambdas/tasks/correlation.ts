import { ConcurrentUpdate } from '../domain/errors';
import { isPastShippedStage, type OrderState } from '../domain/order';
import type { Delivery, MailboxItem, StageAdvance, TaskCallbacks, Wait, WorkflowStore } from '../ports';
import { factId } from './common';

/**
 * Delivering partner events to waiting workflows, without transactions and without losing the race
 * where an event arrives before its wait is registered:
 * - the registrar writes the wait, then drains the key's mailbox (if the key is marked as having
 *   mail, or the order predates the marks);
 * - the correlator looks for the wait, else writes to the mailbox, marks the key, and looks for the
 *   wait again.
 * Whichever side sees both delivers. An event id is delivered at most once (a duplicate kept in a
 * mailbox is skipped), and Step Functions itself accepts only one answer per token.
 */
export interface CorrelationDeps {
  readonly store: WorkflowStore;
  readonly callbacks: TaskCallbacks;
}

export type DeliveryOutcome = 'DELIVERED' | 'KEPT_FOR_LATER' | 'DUPLICATE' | 'LATE';

async function send(deps: CorrelationDeps, wait: Wait, eventId: string, delivery: Delivery, at: string, known?: OrderState): Promise<DeliveryOutcome> {
  if (!(await deps.store.markProcessed(`delivery:${eventId}`, at))) return 'DUPLICATE';
  // A fact is recorded first for a running order (one on hold or finished has no workflow to race).
  const factFirst = delivery.advance?.fact === true && (known === undefined || known.status === 'RUNNING');
  if (factFirst) await applyAdvance(deps.store, delivery.advance!, eventId, known);
  let accepted: boolean;
  try {
    accepted = 'output' in delivery
      ? await deps.callbacks.succeed(wait.taskToken, delivery.output)
      : await deps.callbacks.fail(wait.taskToken, delivery.failure.error, delivery.failure.cause);
  } catch (error) {
    await deps.store.forgetProcessed(`delivery:${eventId}`);
    throw error;
  }
  await deps.store.claimWait(wait.key, wait.taskToken);
  if (accepted) {
    if (delivery.advance && !factFirst) await applyAdvance(deps.store, delivery.advance, eventId, known);
    return 'DELIVERED';
  }
  // The token had already timed out: keep the event for the next wait on this key (if any comes).
  await deps.store.forgetProcessed(`delivery:${eventId}`);
  await deps.store.putMailbox({ key: wait.key, eventId, receivedAt: at, delivery });
  return 'LATE';
}

/** Delivers the oldest kept event to the wait; the others go back to the mailbox for the next wait. */
async function drainMailbox(deps: CorrelationDeps, wait: Wait, at: string): Promise<DeliveryOutcome | undefined> {
  const items = await deps.store.takeMailbox(wait.key);
  let outcome: DeliveryOutcome | undefined;
  const rest: MailboxItem[] = [];
  for (const item of items) {
    if (outcome === 'DELIVERED') {
      rest.push(item);
      continue;
    }
    const result = await send(deps, wait, item.eventId, item.delivery, at);
    if (result === 'DELIVERED') outcome = result;
    if (result === 'LATE') return 'LATE';
  }
  for (const item of rest) await deps.store.putMailbox(item);
  return outcome;
}

/**
 * Registrar side: called by a task that waits with a task token. Returns the outcome of the kept
 * events it delivered, if any, and the order as it stood when the wait became active.
 */
export async function registerWait(deps: CorrelationDeps, wait: Wait): Promise<{ outcome: DeliveryOutcome | undefined; order: OrderState | undefined }> {
  const { order, mayHaveMail } = await deps.store.registerWait(wait);
  // Most waits register before their answer comes: nothing kept, no mailbox to read.
  return { outcome: mayHaveMail ? await drainMailbox(deps, wait, wait.registeredAt) : undefined, order };
}

/**
 * Correlator side: called for an inbound event that answers the wait under `key` (`known`: the
 * order as the correlator just read it; `knownWait`: the wait under `key` as it read it with the
 * order, null for none, undefined when it did not).
 */
export async function deliver(deps: CorrelationDeps, key: string, eventId: string, delivery: Delivery, at: string, known?: OrderState, knownWait?: Wait | null): Promise<DeliveryOutcome> {
  const wait = knownWait === undefined ? await deps.store.getWait(key) : knownWait ?? undefined;
  if (wait) return send(deps, wait, eventId, delivery, at, known);
  await deps.store.putMailbox({ key, eventId, receivedAt: at, delivery });
  const registered = await deps.store.getWait(key);
  if (registered) return (await drainMailbox(deps, registered, at)) ?? 'KEPT_FOR_LATER';
  return 'KEPT_FOR_LATER';
}

/**
 * Records the stage an order reached with a partner's event, at the partner's time, once the event
 * has reached its wait (directly or from the mailbox). Retries on a concurrent update.
 * `known` is the order as the caller just read it: the first attempt uses it instead of reading
 * again (the version check catches a change in between, and the retry reads afresh).
 */
export async function applyAdvance(store: WorkflowStore, advance: StageAdvance, eventId: string, known?: OrderState): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const state = attempt === 0 && known?.summary.orderId === advance.orderId ? known : await store.getOrder(advance.orderId);
    if (!state) return;
    await store.append({
      eventId: factId(eventId, 'STAGE', advance.toStage),
      orderId: advance.orderId,
      type: 'STAGE_CHANGED',
      at: advance.at,
      actor: { type: 'system', id: advance.system },
      sourceSystem: advance.system,
      stage: advance.toStage,
      fromStage: state.stage,
      siteId: state.summary.siteId,
      carrierId: advance.patch?.carrierId ?? state.carrierId,
      lane: state.lane,
    });
    if (state.stage === advance.toStage || isPastShippedStage(state.stage, advance.toStage)) return;
    try {
      await store.updateOrder(advance.orderId, state.version, { ...advance.patch, stage: advance.toStage, updatedAt: advance.at });
      return;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdate)) throw error;
    }
  }
}
