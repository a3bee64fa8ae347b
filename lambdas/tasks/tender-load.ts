import { z } from 'zod';
import { carrierForAttempt, tenderIdFor } from '../domain/tendering';
import { InvalidTaskInput } from '../domain/errors';
import { carrierCircuitOpen, changeStage, ensureNotCancelled, loadOrderWithEffects, parseInput, record, recordWaitEnded, taskInput, type TaskInput } from './common';
import { registerWait } from './correlation';
import type { TaskDeps } from './deps';
import type { OrderState } from '../domain/order';
import { countTenderAnswer } from '../decisions/lane-stats';
import { checkCancelAfterRegistering, waitKeys } from './await-event';

const input = z.discriminatedUnion('mode', [
  /** `carrierId`: the carrier the decision step chose (lambdas/tasks/decide.ts); absent or null, the routing guide's carrier for the attempt. */
  taskInput.extend({ mode: z.literal('TENDER'), attempt: z.number().int().min(0), taskToken: z.string().min(1), carrierId: z.string().min(1).nullish() }),
  taskInput.extend({ mode: z.literal('WITHDRAW'), attempt: z.number().int().min(0), carrierId: z.string().min(1).nullish() }),
  taskInput.extend({ mode: z.literal('BOOK'), decision: z.object({ carrierId: z.string().min(1) }) }),
  taskInput.extend({ mode: z.literal('EXPEDITE') }),
]);

const hourMs = 3600 * 1000;

/** The carrier the decision step chose, else the routing guide's carrier for the attempt. */
function chosenCarrier(state: OrderState, attempt: number, carrierId: string | null | undefined) {
  if (carrierId) {
    const chosen = state.carriers?.find((c) => c.carrierId === carrierId);
    if (!chosen) throw new InvalidTaskInput(`carrierId: '${carrierId}' is not one of the lane's carriers for order ${state.summary.orderId}`);
    return chosen;
  }
  return carrierForAttempt(state.carriers ?? [], attempt, Number.MAX_SAFE_INTEGER);
}

/**
 * A carrier whose circuit breaker is open (it is down) is not tendered: the attempt records why and
 * answers its own task token with `SKIPPED`, so the workflow moves on to the next carrier, or to the
 * transport planner when none is left. A carrier whose cool-down has passed is tendered (the probe).
 */
async function skipIfCircuitOpen(deps: TaskDeps, req: TaskInput & { attempt: number; taskToken: string }, carrierId: string, lane: string, tenderId: string) {
  const open = await carrierCircuitOpen(deps.store, carrierId, req.at);
  if (!open) return undefined;
  const reason = `carrier ${carrierId} is down (circuit open until ${open.openUntil ?? open.probeUntil}; ${open.lastError ?? 'repeated outages'})`;
  await record(deps, req, 'DECISION', { carrierId, lane, details: { decision: 'SKIP_CARRIER_CIRCUIT_OPEN', tenderId, attempt: req.attempt + 1, reason } });
  // An earlier try of this attempt may have registered the wait before the carrier failed.
  await deps.store.claimWait(waitKeys.tender(tenderId), req.taskToken);
  const output = { outcome: 'SKIPPED', tenderId, carrierId, reason };
  await deps.callbacks.succeed(req.taskToken, output);
  return output;
}

/** Planned pickup: six hours before the ship date, but never sooner than two hours from now. */
function pickupTime(requestedShipDate: string, at: string): string {
  return new Date(Math.max(Date.parse(requestedShipDate) - 6 * hourMs, Date.parse(at) + 2 * hourMs)).toISOString();
}

/**
 * Carrier tendering. TENDER sends the tender and registers the wait (the state machine waits on the
 * task token until the correlator relays TenderAccepted or TenderRejected, or the tender SLA passes);
 * WITHDRAW cancels an unanswered tender; BOOK and EXPEDITE carry out a planner's decision.
 */
export function makeTenderLoad(deps: TaskDeps) {
  return async function tenderLoad(raw: unknown) {
    const req = parseInput(input, raw);
    // A tender's ledger record is read with the order (its id follows from the attempt).
    const { state, effects } = await loadOrderWithEffects(deps, req.orderId, req.mode === 'TENDER' ? [{ kind: 'tender', key: tenderIdFor(req.orderId, req.attempt) }] : []);
    ensureNotCancelled(state);
    const { summary } = state;
    switch (req.mode) {
      case 'TENDER': {
        const carrier = chosenCarrier(state, req.attempt, req.carrierId);
        if (!carrier || !state.loadId || !state.lane) throw new InvalidTaskInput(`no carrier for tender attempt ${req.attempt} of order ${req.orderId}`);
        const tenderId = tenderIdFor(req.orderId, req.attempt);
        const skipped = await skipIfCircuitOpen(deps, req, carrier.carrierId, state.lane, tenderId);
        if (skipped) return skipped;
        const wait = {
          key: waitKeys.tender(tenderId),
          taskToken: req.taskToken,
          orderId: req.orderId,
          kind: 'TENDER' as const,
          registeredAt: req.at,
          expiresAt: new Date(Date.parse(req.at) + deps.sla.tenderResponseSeconds * 1000).toISOString(),
        };
        await changeStage(deps, state, req, 'TENDERED', { carrierId: carrier.carrierId }, { tenderId, attempt: req.attempt + 1, rank: carrier.rank });
        if (req.attempt > 0) {
          await record(deps, req, 'DECISION', { sourceSystem: 'orchestrator', carrierId: carrier.carrierId, lane: state.lane, details: { decision: 'RE_TENDER', tenderId, attempt: req.attempt + 1 } });
        }
        // Register before sending, so an answer that comes back at once finds the wait.
        const registered = await registerWait(deps, wait);
        if (registered.outcome === 'DELIVERED') await recordWaitEnded(deps, req.orderId, wait.key, 'ANSWERED', req.at, `mailbox:${req.step}:${req.at}`);
        await record(deps, req, 'WAIT_STARTED', { carrierId: carrier.carrierId, lane: state.lane, details: { kind: 'TENDER', key: wait.key, dueAt: wait.expiresAt } });
        await deps.store.once(req.orderId, 'tender', tenderId, req.at, () =>
          deps.systems.carrier.tender({
            tenderId,
            orderId: req.orderId,
            loadId: state.loadId!,
            carrierId: carrier.carrierId,
            lane: state.lane!,
            pickupBy: pickupTime(summary.requestedShipDate, req.at),
            at: req.at,
          }),
          effects,
        );
        await checkCancelAfterRegistering(deps, wait, registered.order);
        return { tenderId, carrierId: carrier.carrierId };
      }
      case 'WITHDRAW': {
        const carrier = chosenCarrier(state, req.attempt, req.carrierId);
        const tenderId = tenderIdFor(req.orderId, req.attempt);
        if (carrier) {
          await deps.store.once(req.orderId, 'tender-cancel', tenderId, req.at, () =>
            deps.systems.carrier.cancelTender({ tenderId, orderId: req.orderId, carrierId: carrier.carrierId, at: req.at }),
          );
        }
        await record(deps, req, 'WAIT_ENDED', { carrierId: carrier?.carrierId, lane: state.lane, details: { kind: 'TENDER', key: waitKeys.tender(tenderId), outcome: 'TIMED_OUT' } });
        deps.telemetry.count('WaitTimedOut', 1, { wait: 'tender-response' });
        await record(deps, req, 'SLA_BREACHED', { carrierId: carrier?.carrierId, lane: state.lane, details: { sla: 'tender-response', tenderId } });
        if (carrier && state.lane) await countTenderAnswer(deps, { orderId: req.orderId, lane: state.lane, carrierId: carrier.carrierId, tenderId, accepted: false, at: req.at });
        return { tenderId, withdrawn: true };
      }
      case 'BOOK': {
        const pickupAt = pickupTime(summary.requestedShipDate, req.at);
        const tenderId = `${req.orderId}-P`;
        await record(deps, req, 'DECISION', { carrierId: req.decision.carrierId, lane: state.lane, details: { decision: 'BOOK_PLANNER_CARRIER', tenderId } });
        await changeStage(deps, state, req, 'CARRIER_CONFIRMED', { carrierId: req.decision.carrierId }, { tenderId, bookedBy: 'planner' });
        return { outcome: 'ACCEPTED', carrierId: req.decision.carrierId, tenderId, pickupAt };
      }
      case 'EXPEDITE': {
        if (!state.loadId) throw new InvalidTaskInput(`order ${req.orderId} has no load to expedite`);
        const { result } = await deps.store.once(req.orderId, 'expedite', state.loadId, req.at, () =>
          deps.systems.tms.bookExpedited({ orderId: req.orderId, loadId: state.loadId!, at: req.at }),
        );
        await changeStage(deps, state, req, 'CARRIER_CONFIRMED', { carrierId: result.carrierId }, { expedited: true });
        return { outcome: 'ACCEPTED', carrierId: result.carrierId, tenderId: `${req.orderId}-X`, pickupAt: result.pickupAt };
      }
    }
  };
}
