import { historyOf, engineWith, lambdaError } from './helpers';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:flaky';

function flaky(failures: number, errorType = 'CarrierUnavailable') {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    integrations: {
      async invokeLambda(req: { payload: unknown }) {
        calls++;
        if (calls <= failures) return lambdaError(errorType, `attempt ${calls} failed`);
        return { payload: { ok: true, calls } };
      },
    },
  };
}

describe('Retry', () => {
  it('retries with exponential backoff measured on the engine clock', async () => {
    const fn = flaky(3);
    const { engine, run } = await engineWith(
      {
        StartAt: 'Tender',
        States: {
          Tender: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['CarrierUnavailable'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }], End: true },
        },
      },
      { integrations: fn.integrations },
    );
    const { executionArn, result } = await run();
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ ok: true, calls: 4 });
    const scheduled = (await historyOf(engine, executionArn)).filter((e) => e.type === 'LambdaFunctionScheduled').map((e) => e.timestamp.getTime());
    const gaps = scheduled.slice(1).map((t, i) => (t - scheduled[i]) / 1000);
    expect(gaps).toEqual([2, 6, 18]);
  });

  it('caps the delay at MaxDelaySeconds and applies full jitter', async () => {
    const fn = flaky(3);
    const { engine, run } = await engineWith(
      {
        StartAt: 'Tender',
        States: {
          Tender: {
            Type: 'Task',
            Resource: FN,
            Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 3, MaxDelaySeconds: 15, JitterStrategy: 'FULL' }],
            End: true,
          },
        },
      },
      { integrations: fn.integrations, random: () => 0.5 },
    );
    const { executionArn } = await run();
    const scheduled = (await historyOf(engine, executionArn)).filter((e) => e.type === 'LambdaFunctionScheduled').map((e) => e.timestamp.getTime());
    expect(scheduled.slice(1).map((t, i) => (t - scheduled[i]) / 1000)).toEqual([5, 7.5, 7.5]);
  });

  it('fails with the last error once MaxAttempts is used up', async () => {
    const fn = flaky(10);
    const { run } = await engineWith(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 2 }], End: true } } },
      { integrations: fn.integrations },
    );
    const { result } = await run();
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('CarrierUnavailable');
    expect(fn.calls).toBe(3);
  });
});

describe('Catch', () => {
  it('routes an error to the handler with the error output at ResultPath', async () => {
    const fn = flaky(10, 'RateExceeded');
    const { run } = await engineWith(
      {
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['RateExceeded'], ResultPath: '$.failure', Next: 'Fallback' }], End: true },
          Fallback: { Type: 'Pass', End: true },
        },
      },
      { integrations: fn.integrations },
    );
    const { result } = await run({ order: 'O-1' });
    expect(result.status).toBe('SUCCEEDED');
    const out = JSON.parse(result.output!);
    expect(out.order).toBe('O-1');
    expect(out.failure.Error).toBe('RateExceeded');
    expect(JSON.parse(out.failure.Cause).errorMessage).toBe('attempt 1 failed');
  });

  it('in JSONata, shapes the catcher output and assigns variables from $states.errorOutput', async () => {
    const fn = flaky(10, 'RateExceeded');
    const { run } = await engineWith(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: FN,
            Catch: [{ ErrorEquals: ['States.ALL'], Assign: { lastError: '{% $states.errorOutput.Error %}' }, Output: { caught: true }, Next: 'Report' }],
            End: true,
          },
          Report: { Type: 'Pass', Output: { error: '{% $lastError %}', input: '{% $states.input %}' }, End: true },
        },
      },
      { integrations: fn.integrations },
    );
    const { result } = await run();
    expect(JSON.parse(result.output!)).toEqual({ error: 'RateExceeded', input: { caught: true } });
  });

  it('does not catch States.Runtime errors, even with States.ALL', async () => {
    const { run } = await engineWith({
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Next: 'T' },
        T: { Type: 'Parallel', OutputPath: '$.missing', Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true },
        H: { Type: 'Pass', End: true },
      },
    });
    const { result } = await run({});
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('States.Runtime');
  });
});
