import { changeStage, loadOrderWithEffects, parseInput, taskInput } from './common';
import type { TaskDeps } from './deps';

/** Releases the invoice after proof of delivery: once per order, whatever retries or redrives happen. */
export function makeReleaseInvoice(deps: TaskDeps) {
  return async function releaseInvoice(raw: unknown) {
    const req = parseInput(taskInput, raw);
    const { state, effects } = await loadOrderWithEffects(deps, req.orderId, [{ kind: 'invoice', key: req.orderId }]);
    const amount = state.summary.orderValue ?? { amount: 0, currency: 'EUR' };
    const { result } = await deps.store.once(
      req.orderId,
      'invoice',
      req.orderId,
      req.at,
      () => deps.systems.finance.releaseInvoice({ orderId: req.orderId, customerId: state.summary.customerId, amount, at: req.at }),
      effects,
    );
    if (state.stage !== 'INVOICED') await changeStage(deps, state, req, 'INVOICED', {}, { invoiceId: result.invoiceId });
    return { invoiceId: result.invoiceId };
  };
}
