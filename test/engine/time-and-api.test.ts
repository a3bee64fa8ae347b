import { Engine, MemoryExecutionStore, TestClock } from '../../local/engine';
import { engineWith, historyOf, ROLE } from './helpers';

describe('time skipping', () => {
  it('runs a 48-hour wait in well under a second', async () => {
    const { run, engine } = await engineWith({
      StartAt: 'Wait for pickup SLA',
      States: { 'Wait for pickup SLA': { Type: 'Wait', Seconds: 48 * 3600, Next: 'Done' }, Done: { Type: 'Succeed' } },
    });
    const t0 = Date.now();
    const { executionArn, result } = await run();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.stopDate!.getTime() - result.startDate.getTime()).toBe(48 * 3600 * 1000);
    expect((await historyOf(engine, executionArn)).map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'WaitStateEntered',
      'WaitStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('times out the whole execution after its TimeoutSeconds', async () => {
    const { run } = await engineWith({ TimeoutSeconds: 3600, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 7200, End: true } } });
    const { result } = await run();
    expect(result.status).toBe('TIMED_OUT');
  });
});

describe('API', () => {
  it('returns the same execution for the same name and input, ExecutionAlreadyExists for other input', async () => {
    const clock = new TestClock({ autoAdvance: false });
    const { engine, stateMachineArn } = await engineWith({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } }, { clock });
    const a = await engine.startExecution({ stateMachineArn, name: 'ORDER-1', input: '{"a":1}' });
    const b = await engine.startExecution({ stateMachineArn, name: 'ORDER-1', input: '{"a":1}' });
    expect(b.executionArn).toBe(a.executionArn);
    expect(a.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:machine:ORDER-1');
    await expect(engine.startExecution({ stateMachineArn, name: 'ORDER-1', input: '{"a":2}' })).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect((await engine.listExecutions({ stateMachineArn })).executions).toHaveLength(1);
  });

  it('rejects invalid definitions with AWS-style messages', async () => {
    const engine = await Engine.start({ clock: new TestClock(), store: new MemoryExecutionStore() });
    const bad = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'X' } } };
    await expect(engine.createStateMachine({ name: 'm', definition: JSON.stringify(bad), roleArn: ROLE })).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: X at /States/A/Next'",
    });
    const unsupported = { StartAt: 'Book', States: { Book: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun', End: true } } };
    await expect(engine.createStateMachine({ name: 'm', definition: JSON.stringify(unsupported), roleArn: ROLE })).rejects.toThrow(/Book/);
    await expect(engine.createStateMachine({ name: 'bad name', definition: '{}', roleArn: ROLE })).rejects.toMatchObject({ name: 'InvalidName' });
  });

  it('reports missing resources with AWS error codes', async () => {
    const engine = await Engine.start({ clock: new TestClock() });
    await expect(engine.describeExecution({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:m:x' })).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
    await expect(engine.describeExecution({ executionArn: 'nope' })).rejects.toMatchObject({ name: 'InvalidArn' });
    await expect(engine.startExecution({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:none' })).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });

  it('stops an execution with ExecutionAborted', async () => {
    const clock = new TestClock({ autoAdvance: false });
    const { engine, stateMachineArn } = await engineWith({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } }, { clock });
    const { executionArn } = await engine.startExecution({ stateMachineArn });
    await engine.stopExecution({ executionArn, error: 'Cancelled', cause: 'customer' });
    const d = await engine.waitForExecution(executionArn);
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'customer' });
    const events = await historyOf(engine, executionArn);
    expect(events[events.length - 1]).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Cancelled', cause: 'customer' } });
  });

  it('keeps a history shaped like AWS: ids, previous ids, timestamps and details', async () => {
    const { engine, run } = await engineWith({
      StartAt: 'Plan',
      States: { Plan: { Type: 'Pass', Result: { load: 1 }, ResultPath: '$.plan', Assign: { planned: true }, End: true } },
    });
    const { executionArn } = await run({ order: 'O-9' });
    const events = await historyOf(engine, executionArn);
    expect(events.map((e) => [e.id, e.previousEventId])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
    ]);
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"order":"O-9"}', roleArn: ROLE } });
    expect(events[0].timestamp).toBeInstanceOf(Date);
    expect(events[1]).toMatchObject({ type: 'PassStateEntered', stateEnteredEventDetails: { name: 'Plan', input: '{"order":"O-9"}' } });
    expect(events[2]).toMatchObject({
      type: 'PassStateExited',
      stateExitedEventDetails: { name: 'Plan', output: '{"order":"O-9","plan":{"load":1}}', assignedVariables: { planned: 'true' } },
    });
    expect(events[3]).toMatchObject({ type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: '{"order":"O-9","plan":{"load":1}}' } });
    const reversed = await engine.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 2 });
    expect(reversed.events.map((e) => e.id)).toEqual([4, 3]);
    expect(reversed.nextToken).toBeDefined();
  });
});
