import { changeStage, ensureNotCancelled, loadOrder, parseInput, taskInput } from './common';
import type { TaskDeps } from './deps';

/** Releases the order to a pick wave at its site. */
export function makeCreateWave(deps: TaskDeps) {
  return async function createWave(raw: unknown) {
    const req = parseInput(taskInput, raw);
    const state = await loadOrder(deps, req.orderId);
    ensureNotCancelled(state);
    const siteId = state.summary.siteId;
    const { result } = await deps.store.once(req.orderId, 'wave', siteId, req.at, () => deps.systems.wms.createWave({ orderId: req.orderId, siteId, at: req.at }));
    await changeStage(deps, state, req, 'WAVE_RELEASED', {}, { waveId: result.waveId });
    return { waveId: result.waveId, siteId };
  };
}
