import { logger, telemetry, withPowertools } from '../runtime/handler';
import { getReconcileDeps } from '../runtime/compose';
import { makeReconcile } from '../tasks/reconcile';

let reconcile: ReturnType<typeof makeReconcile> | undefined;

/**
 * Scheduled (EventBridge Scheduler, `lambdas/manifest.ts` schedules): the schedule's input carries
 * `at` (`<aws.scheduler.scheduled-time>`; the local runtime passes its clock's time).
 */
export const handler = withPowertools(async function reconcileOrders(event: unknown) {
  reconcile ??= makeReconcile(getReconcileDeps());
  const result = await reconcile(event);
  for (const action of result.actions) {
    telemetry.count(action.action === 'RESUMED' ? 'OrderResumed' : 'OrderHandedToPerson');
    logger.warn('Order whose execution ended was reconciled', { ...action });
  }
  return result;
});
