import { z } from 'zod';
import { changeStage, ensureNotCancelled, loadOrderWithEffects, parseInput, taskInput } from './common';
import type { TaskDeps } from './deps';

const input = taskInput.extend({
  /**
   * The site the workflow carries for the order (`$order.siteId`): its wave record is read with the
   * order. The order's own site decides; a stale one only costs the wave record a read of its own.
   */
  siteId: z.string().min(1).optional(),
});

/** Releases the order to a pick wave at its site. */
export function makeCreateWave(deps: TaskDeps) {
  return async function createWave(raw: unknown) {
    const req = parseInput(input, raw);
    const { state, effects } = await loadOrderWithEffects(deps, req.orderId, req.siteId ? [{ kind: 'wave', key: req.siteId }] : []);
    ensureNotCancelled(state);
    const siteId = state.summary.siteId;
    const { result } = await deps.store.once(req.orderId, 'wave', siteId, req.at, () => deps.systems.wms.createWave({ orderId: req.orderId, siteId, at: req.at }), effects);
    await changeStage(deps, state, req, 'WAVE_RELEASED', {}, { waveId: result.waveId });
    return { waveId: result.waveId, siteId };
  };
}
