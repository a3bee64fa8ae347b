import { Engine, MemoryExecutionStore, TestClock, type EngineOptions, type ServiceIntegrations } from '../../local/engine';

export const ROLE = 'arn:aws:iam::000000000000:role/test';

/** An engine on a time-skipping clock and an in-memory store, with one machine created. */
export async function engineWith(definition: object, options: Partial<EngineOptions> & { integrations?: ServiceIntegrations } = {}) {
  const clock = (options.clock as TestClock | undefined) ?? new TestClock();
  const store = options.store ?? new MemoryExecutionStore();
  const engine = await Engine.start({ ...options, clock, store });
  const { stateMachineArn } = await engine.createStateMachine({ name: 'machine', definition: JSON.stringify(definition), roleArn: ROLE });
  const run = async (input: unknown = {}, name?: string) => {
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify(input), name });
    return { executionArn, result: await engine.waitForExecution(executionArn) };
  };
  return { engine, clock, store, stateMachineArn, run };
}

export async function historyOf(engine: Engine, executionArn: string) {
  return (await engine.getExecutionHistory({ executionArn, maxResults: 1000 })).events;
}

/** Resolves when `predicate` holds for an event of the execution (checked on every event). */
export function nextEvent(engine: Engine, type: string): Promise<{ executionArn: string; event: Record<string, unknown> }> {
  return new Promise((resolve) => {
    const off = engine.onEvent((e) => {
      if (e.event.type === type) {
        off();
        resolve({ executionArn: e.executionArn, event: e.event });
      }
    });
  });
}

/** A Python-style Lambda error response, as the runtime gives it. */
export function lambdaError(errorType: string, errorMessage: string) {
  return { payload: JSON.stringify({ errorMessage, errorType, stackTrace: [] }), functionError: 'Unhandled' as const };
}
