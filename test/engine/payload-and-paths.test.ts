/**
 * Behaviours AWS records that the visible conformance cases do not show: a task result over the
 * payload quota is a task failure that Catch (States.ALL too) handles; a state output over it is
 * terminal, measured in UTF-8 bytes; Map's limit paths accept numbers written as strings; a JSONata
 * expression that yields a function is a query error, not an engine crash.
 */
import { engineWith, historyOf } from './helpers';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:big';
/** 200,000 three-byte characters: 600,000 bytes, well under 256 Ki characters. */
const bigText = '€'.repeat(200_000);
const returning = (payload: unknown) => ({ integrations: { invokeLambda: async () => ({ payload }) } });

describe('Payload quota', () => {
  it.each(['States.ALL', 'States.DataLimitExceeded'])('a task result over 256 KiB (UTF-8) fails the task, and a Catch on %s handles it', async (caught) => {
    const { engine, run } = await engineWith(
      {
        StartAt: 'Invoke',
        States: {
          Invoke: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: [caught], Next: 'Handled' }], Next: 'Done' },
          Done: { Type: 'Pass', End: true },
          Handled: { Type: 'Pass', End: true },
        },
      },
      returning(bigText),
    );
    const { executionArn, result } = await run();
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ Error: 'States.DataLimitExceeded', Cause: `The state/task '${FN}' returned a result with a size exceeding the maximum number of bytes service limit.` });
    const failed = (await historyOf(engine, executionArn)).find((e) => e.type === 'LambdaFunctionFailed');
    expect((failed?.lambdaFunctionFailedEventDetails as { error?: string } | undefined)?.error).toBe('States.DataLimitExceeded');
  });

  it('a Retry on States.ALL retries an oversized result like any task failure', async () => {
    let calls = 0;
    const { run } = await engineWith(
      { StartAt: 'Invoke', States: { Invoke: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }], End: true } } },
      { integrations: { invokeLambda: async () => ({ payload: ++calls < 3 ? bigText : { ok: calls } }) } },
    );
    const { result } = await run();
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ ok: 3 });
  });

  it('a state output over 256 KiB in UTF-8 bytes fails the execution, even when its length in characters is under the quota', async () => {
    const { run } = await engineWith({
      StartAt: 'Grow',
      States: { Grow: { Type: 'Pass', Parameters: { 'a.$': '$.text', 'b.$': '$.text' }, End: true } },
    });
    // 50,000 characters in (150,000 bytes); out twice that: 100,000 characters, 300,000 bytes.
    const { result } = await run({ text: '€'.repeat(50_000) });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.DataLimitExceeded');
  });
});

describe('Map limit paths', () => {
  const machine = (field: string) => ({
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        [field]: '$.limit',
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Check', States: { Check: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 0, Next: 'Bad' }], Default: 'Ok' }, Ok: { Type: 'Pass', End: true }, Bad: { Type: 'Fail', Error: 'Bad' } } },
        End: true,
      },
    },
  });

  it.each([
    ['MaxConcurrencyPath', '1', 'SUCCEEDED'],
    ['ToleratedFailureCountPath', '1', 'SUCCEEDED'],
    ['ToleratedFailurePercentagePath', '50.0', 'SUCCEEDED'],
    ['ToleratedFailureCountPath', 'NoNumber', 'FAILED'],
    ['MaxConcurrencyPath', '1.5', 'FAILED'],
  ])('%s reads the number written as the string "%s" (%s)', async (field, limit, status) => {
    const { run } = await engineWith(machine(field));
    const items = field === 'MaxConcurrencyPath' ? [1, 2, 3] : [0, 1, 2];
    const { result } = await run({ items, limit });
    expect(result.status).toBe(status);
    if (status === 'FAILED') expect(result.error).toBe('States.Runtime');
    // The tolerated failure (item 0) leaves its slot empty; the others pass their item through.
    else expect((JSON.parse(result.output!) as unknown[]).slice(1)).toEqual(items.slice(1));
  });
});

describe('JSONata results', () => {
  it('an expression that yields a function fails the state with States.QueryEvaluationError', async () => {
    const { run } = await engineWith({
      QueryLanguage: 'JSONata',
      StartAt: 'F',
      States: { F: { Type: 'Pass', Output: '{% function($x){ $x } %}', End: true } },
    });
    const { result } = await run({});
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.QueryEvaluationError');
  });

  it('a lambda nested inside an object result is dropped, as JSON drops functions', async () => {
    const { run } = await engineWith({
      QueryLanguage: 'JSONata',
      StartAt: 'F',
      States: { F: { Type: 'Pass', Output: '{% { "a": 1, "f": function($x){ $x } } %}', End: true } },
    });
    const { result } = await run({});
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ a: 1 });
  });
});
