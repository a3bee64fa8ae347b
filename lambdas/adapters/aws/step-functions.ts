import {
  ExecutionAlreadyExists,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { TaskCallbacks, WorkflowStarter } from '../../ports';
import { sdkClientOptions } from './sdk-options';

/** Errors meaning the token is no longer waiting: the answer is late, not a failure to retry. */
const goneTokenErrors = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export class StepFunctionsStarter implements WorkflowStarter {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client: SFNClient = new SFNClient(sdkClientOptions),
  ) {}

  async start(request: { name: string; input: unknown }) {
    const input = JSON.stringify(request.input);
    try {
      // Standard workflows are idempotent by name for the same input: a redelivered release returns the same execution.
      const out = await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: request.name, input }));
      return { executionArn: out.executionArn!, alreadyStarted: false };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') {
        const executionArn = this.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${request.name}`;
        return { executionArn, alreadyStarted: true };
      }
      throw error;
    }
  }
}

export class StepFunctionsCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient = new SFNClient(sdkClientOptions)) {}

  async succeed(taskToken: string, output: unknown): Promise<boolean> {
    return this.answer(() => this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? {}) })));
  }

  async fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    return this.answer(() => this.client.send(new SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32768) })));
  }

  private async answer(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      if (goneTokenErrors.has((error as Error).name)) return false;
      throw error;
    }
  }
}
