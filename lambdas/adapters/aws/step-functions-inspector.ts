import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionStatus, WorkflowInspector } from '../../ports';
import { sdkClientOptions } from './sdk-options';

/** DescribeExecution and ListExecutions: the reconciler's view of the workflow's executions. */
export class StepFunctionsInspector implements WorkflowInspector {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client: SFNClient = new SFNClient(sdkClientOptions),
  ) {}

  async listEnded(since: string) {
    const sinceMs = Date.parse(since);
    const ended: Array<{ executionArn: string; status: ExecutionStatus }> = [];
    for (const statusFilter of ['FAILED', 'ABORTED', 'TIMED_OUT'] as const) {
      let nextToken: string | undefined;
      do {
        const out = await this.client.send(new ListExecutionsCommand({ stateMachineArn: this.stateMachineArn, statusFilter, maxResults: 1000, nextToken }));
        let older = false;
        for (const e of out.executions ?? []) {
          // Listed newest first by start. An execution runs at most 60 days (the ASL's TimeoutSeconds),
          // so one that started more than 60 days before `since` stopped before it: no need to page on.
          if (e.stopDate && e.stopDate.getTime() >= sinceMs) ended.push({ executionArn: e.executionArn!, status: statusFilter });
          else if (e.startDate && e.startDate.getTime() < sinceMs - 60 * 86_400_000) older = true;
        }
        nextToken = older ? undefined : out.nextToken;
      } while (nextToken);
    }
    return ended;
  }

  async describe(executionArn: string) {
    try {
      const out = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return { status: out.status as ExecutionStatus, ...(out.error ? { error: out.error } : {}), ...(out.cause ? { cause: out.cause } : {}) };
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }
}
