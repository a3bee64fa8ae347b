import type { Engine } from '../engine';
import type { JsonService } from './server';

/** Step Functions over the AWS JSON 1.0 protocol (`AWSStepFunctions.<Operation>`), served by the local engine. */
export function sfnService(engine: Engine): JsonService {
  const e = engine as unknown as Record<string, (input: unknown) => unknown>;
  const ops = [
    'CreateStateMachine', 'UpdateStateMachine', 'DescribeStateMachine', 'DeleteStateMachine', 'ListStateMachines',
    'StartExecution', 'DescribeExecution', 'ListExecutions', 'GetExecutionHistory', 'StopExecution',
    'SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat', 'DescribeStateMachineForExecution',
  ];
  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {};
  for (const op of ops) {
    const method = op.charAt(0).toLowerCase() + op.slice(1);
    if (typeof e[method] === 'function') operations[op] = (input) => e[method]!.call(engine, input);
  }
  return { targetPrefix: 'AWSStepFunctions', errorNamespace: 'com.amazonaws.sfn', operations };
}
