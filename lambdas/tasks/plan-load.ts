import { laneOf } from '../domain/order';
import { defaultMaxTenders } from '../domain/tendering';
import { changeStage, ensureNotCancelled, loadOrder, parseInput, taskInput } from './common';
import type { TaskDeps } from './deps';

/** Plans the load in the TMS; the ranked carriers drive the tender loop in the state machine. */
export function makePlanLoad(deps: TaskDeps) {
  return async function planLoad(raw: unknown) {
    const req = parseInput(taskInput, raw);
    const state = await loadOrder(deps, req.orderId);
    ensureNotCancelled(state);
    const lane = laneOf(state.summary);
    const { result } = await deps.store.once(req.orderId, 'load', lane, req.at, () => deps.systems.tms.planLoad({ order: state.summary, lane, at: req.at }));
    const carriers = [...result.carriers].sort((a, b) => a.rank - b.rank);
    await changeStage(deps, state, req, 'LOAD_PLANNED', { loadId: result.loadId, lane, carriers }, { loadId: result.loadId, carriers: carriers.map((c) => c.carrierId) });
    return { loadId: result.loadId, lane, carriers, maxTenders: defaultMaxTenders };
  };
}
