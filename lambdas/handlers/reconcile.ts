import { StepFunctionsStarter } from '../adapters/aws/step-functions';
import { StepFunctionsInspector } from '../adapters/aws/step-functions-inspector';
import { DynamoDbWorkflowStore } from '../adapters/aws/dynamodb-store';
import { requireEnv } from '../config';
import { defaultSla } from '../domain/sla';
import { env } from '../manifest';
import { logger, telemetry, withPowertools } from '../runtime/handler';
import { makeReconcile } from '../tasks/reconcile';

let reconcile: ReturnType<typeof makeReconcile> | undefined;

/**
 * Scheduled (EventBridge Scheduler, `lambdas/manifest.ts` schedules): the schedule's input carries
 * `at` (`<aws.scheduler.scheduled-time>`; the local runtime passes its clock's time).
 */
export const handler = withPowertools(async function reconcileOrders(event: unknown) {
  const stateMachineArn = requireEnv(env.stateMachineArn);
  reconcile ??= makeReconcile({
    store: new DynamoDbWorkflowStore(requireEnv(env.tableName)),
    inspector: new StepFunctionsInspector(stateMachineArn),
    starter: new StepFunctionsStarter(stateMachineArn),
    sla: defaultSla,
  });
  const result = await reconcile(event);
  for (const action of result.actions) {
    telemetry.count(action.action === 'RESUMED' ? 'OrderResumed' : 'OrderHandedToPerson');
    logger.warn('Order whose execution ended was reconciled', { ...action });
  }
  return result;
});
