import { engineWith, historyOf } from './helpers';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:echo';

/** StateExited outputs of an execution, as the history carries them. */
async function exitedOutputs(engine: Awaited<ReturnType<typeof engineWith>>['engine'], executionArn: string) {
  return (await historyOf(engine, executionArn))
    .filter((e) => e.type.endsWith('StateExited'))
    .map((e) => (e.stateExitedEventDetails as { name: string; output: string }));
}

describe('states that need no await (synchronous path)', () => {
  it('records every output as the JSON of the value, whatever ResultPath adds, replaces or nests', async () => {
    const { engine, run } = await engineWith(
      {
        StartAt: 'AddA',
        States: {
          AddA: { Type: 'Pass', Result: 1, ResultPath: '$.a', Next: 'AddB' },
          AddB: { Type: 'Pass', Result: { x: [1, 'two'] }, ResultPath: '$.b', Next: 'ReplaceA' },
          ReplaceA: { Type: 'Pass', Result: 'again', ResultPath: '$.a', Next: 'Echo' },
          Echo: { Type: 'Task', Resource: FN, Next: 'AddAfterDigits' },
          AddAfterDigits: { Type: 'Pass', Result: true, ResultPath: '$.z', Next: 'Nested' },
          Nested: { Type: 'Pass', Result: null, ResultPath: '$.b.y', Next: 'Proto' },
          Proto: { Type: 'Pass', Result: 5, ResultPath: '$.toString', End: true },
        },
      },
      { integrations: { invokeLambda: async (req) => ({ payload: req.payload }) } },
    );
    const { executionArn, result } = await run({ '7': 'seven', order: 'A-1' });
    expect(result.status).toBe('SUCCEEDED');
    const expected = { '7': 'seven', order: 'A-1', a: 'again', b: { x: [1, 'two'], y: null }, z: true, toString: 5 };
    expect(JSON.parse(result.output!)).toEqual(expected);
    // Integer-like keys come first in JSON.stringify; new keys come last.
    expect(result.output).toBe(JSON.stringify(expected));
    const outputs = await exitedOutputs(engine, executionArn);
    expect(outputs.map((o) => o.name)).toEqual(['AddA', 'AddB', 'ReplaceA', 'Echo', 'AddAfterDigits', 'Nested', 'Proto']);
    for (const o of outputs) expect(o.output).toBe(JSON.stringify(JSON.parse(o.output)));
    expect(outputs[0].output).toBe('{"7":"seven","order":"A-1","a":1}');
    expect(outputs[2].output).toBe('{"7":"seven","order":"A-1","a":"again","b":{"x":[1,"two"]}}');
  });

  it('keeps a task result as it was returned, even if the handler changes its object afterwards', async () => {
    const { run } = await engineWith(
      {
        StartAt: 'Quote',
        States: {
          Quote: { Type: 'Task', Resource: FN, ResultPath: '$.quote', Next: 'Done' },
          Done: { Type: 'Pass', End: true },
        },
      },
      {
        integrations: {
          invokeLambda: async () => {
            const quote = { carrier: 'DHL', price: 100 };
            setImmediate(() => {
              quote.price = 1;
              quote.carrier = 'changed';
            });
            return { payload: quote };
          },
        },
      },
    );
    const { result } = await run({ order: 'A-2' });
    expect(JSON.parse(result.output!)).toEqual({ order: 'A-2', quote: { carrier: 'DHL', price: 100 } });
  });

  it('lets StopExecution end a loop of Pass states that never waits', async () => {
    const { engine, stateMachineArn } = await engineWith({
      StartAt: 'Spin',
      States: { Spin: { Type: 'Pass', Next: 'Spin' } },
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: '{}' });
    await engine.stopExecution({ executionArn, error: 'Runaway', cause: 'loop' });
    const done = await engine.waitForExecution(executionArn);
    expect(done.status).toBe('ABORTED');
    const history = await engine.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 1 });
    expect(history.events[0].type).toBe('ExecutionAborted');
  });

  it('stops a request-response task whose handler never answers, without a task failure event', async () => {
    let started!: () => void;
    const invoked = new Promise<void>((r) => (started = r));
    const { engine, stateMachineArn } = await engineWith(
      { StartAt: 'Hang', States: { Hang: { Type: 'Task', Resource: FN, End: true } } },
      {
        integrations: {
          invokeLambda: () => {
            started();
            return new Promise(() => undefined);
          },
        },
      },
    );
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: '{}' });
    await invoked;
    await engine.stopExecution({ executionArn });
    const done = await engine.waitForExecution(executionArn);
    expect(done.status).toBe('ABORTED');
    const types = (await historyOf(engine, executionArn)).map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'ExecutionAborted']);
  });
});
