import { checkOrderData } from '../domain/validation';
import { changeStage, ensureNotCancelled, loadOrderWithLines, parseInput, record, taskInput } from './common';
import type { TaskDeps } from './deps';

/** Checks order data against ERP master data. Bad data is a result (an exception to route), not a crash. */
export function makeValidateOrder(deps: TaskDeps) {
  return async function validateOrder(raw: unknown) {
    const req = parseInput(taskInput, raw);
    const { state, lines } = await loadOrderWithLines(deps, req.orderId);
    ensureNotCancelled(state);
    const master = await deps.systems.erp.masterData({ skus: [...new Set(lines.map((l) => l.sku))], country: state.summary.destinationCountry, at: req.at });
    const issues = checkOrderData(state.summary, lines, { knownSkus: new Set(master.knownSkus), servedCountries: new Set(master.servedCountries) });
    if (issues.length === 0) {
      await changeStage(deps, state, req, 'VALIDATED');
    } else {
      await record(deps, req, 'DECISION', { sourceSystem: 'erp', stage: state.stage, details: { decision: 'DATA_QUALITY_FAILED', issues } });
    }
    return { valid: issues.length === 0, issues };
  };
}
