import { z } from 'zod';
import { chooseSite } from '../domain/allocation';
import { changeStage, ensureNotCancelled, loadOrderWithLines, parseInput, record, taskInput } from './common';
import type { TaskDeps } from './deps';

const input = taskInput.extend({
  mode: z.enum(['ASSIGNED_SITE', 'OTHER_SITES']),
  /** OTHER_SITES only: the site the decision step recommended or a planner chose (absent or null: the closest that can ship). */
  siteId: z.string().min(1).nullish(),
});

/**
 * Checks stock and reserves it. ASSIGNED_SITE looks only at the site the ERP chose; OTHER_SITES is
 * the reallocation step (a separate state, so rework shows in the console and in the event log).
 */
export function makeCheckInventory(deps: TaskDeps) {
  return async function checkInventory(raw: unknown) {
    const req = parseInput(input, raw);
    const { state, lines } = await loadOrderWithLines(deps, req.orderId);
    ensureNotCancelled(state);
    const { summary } = state;
    const sites = await deps.systems.wms.availability({ orderId: req.orderId, lines, destinationCountry: summary.destinationCountry, at: req.at });
    const considered = req.mode === 'ASSIGNED_SITE' ? sites.filter((s) => s.siteId === summary.siteId) : req.siteId ? sites.filter((s) => s.siteId === req.siteId || s.siteId === summary.siteId) : sites;
    const decision = chooseSite(summary.siteId, considered);
    if (decision.outcome === 'SHORT') {
      if (req.mode === 'OTHER_SITES') {
        await changeStage(deps, state, req, 'BACKORDERED', {}, { sitesChecked: decision.sitesChecked });
      } else {
        await record(deps, req, 'DECISION', { sourceSystem: 'wms', stage: state.stage, siteId: summary.siteId, details: { decision: 'STOCK_SHORT_AT_ASSIGNED_SITE' } });
      }
      return decision;
    }
    await deps.store.once(req.orderId, 'reservation', decision.siteId, req.at, () =>
      deps.systems.wms.reserve({ orderId: req.orderId, siteId: decision.siteId, lines, at: req.at }),
    );
    // The site's queue when stock was reserved: what the delay-risk model learns from the event log.
    const siteQueueLength = sites.find((s) => s.siteId === decision.siteId)?.queueLength;
    if (decision.outcome === 'REALLOCATED') {
      await record(deps, req, 'DECISION', {
        sourceSystem: 'wms',
        stage: state.stage,
        siteId: decision.siteId,
        details: { decision: 'REALLOCATED', fromSiteId: decision.fromSiteId, toSiteId: decision.siteId, reason: decision.reason },
      });
      await changeStage(deps, state, req, 'REALLOCATED', { summary: { ...summary, siteId: decision.siteId } }, { fromSiteId: decision.fromSiteId, siteQueueLength });
    } else {
      await changeStage(deps, state, req, 'ALLOCATED', {}, { siteQueueLength });
    }
    return decision;
  };
}
