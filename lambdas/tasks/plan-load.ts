import { z } from 'zod';
import { laneOf } from '../domain/order';
import { defaultMaxTenders } from '../domain/tendering';
import { changeStage, ensureNotCancelled, loadOrderWithEffects, parseInput, taskInput } from './common';
import type { TaskDeps } from './deps';

const input = taskInput.extend({
  /**
   * The site and destination the workflow carries for the order (`$order`): the load record of
   * their lane is read with the order. The order's own lane decides; a stale one only costs the
   * record a read of its own.
   */
  siteId: z.string().min(1).optional(),
  destinationCountry: z.string().min(1).optional(),
});

/** Plans the load in the TMS; the ranked carriers drive the tender loop in the state machine. */
export function makePlanLoad(deps: TaskDeps) {
  return async function planLoad(raw: unknown) {
    const req = parseInput(input, raw);
    const carried = req.siteId && req.destinationCountry ? [{ kind: 'load', key: laneOf({ siteId: req.siteId, destinationCountry: req.destinationCountry }) }] : [];
    const { state, effects } = await loadOrderWithEffects(deps, req.orderId, carried);
    ensureNotCancelled(state);
    const lane = laneOf(state.summary);
    const { result } = await deps.store.once(req.orderId, 'load', lane, req.at, () => deps.systems.tms.planLoad({ order: state.summary, lane, at: req.at }), effects);
    const carriers = [...result.carriers].sort((a, b) => a.rank - b.rank);
    await changeStage(deps, state, req, 'LOAD_PLANNED', { loadId: result.loadId, lane, carriers }, { loadId: result.loadId, carriers: carriers.map((c) => c.carrierId) });
    return { loadId: result.loadId, lane, carriers, maxTenders: defaultMaxTenders };
  };
}
