import { engineWith, historyOf, lambdaError } from './helpers';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:pick';

describe('Map', () => {
  it('processes items with ItemSelector and MaxConcurrency, keeping item order', async () => {
    let running = 0;
    let peak = 0;
    const { run } = await engineWith(
      {
        StartAt: 'Pick lines',
        States: {
          'Pick lines': {
            Type: 'Map',
            ItemsPath: '$.lines',
            MaxConcurrency: 2,
            ItemSelector: { 'sku.$': '$$.Map.Item.Value.sku', 'index.$': '$$.Map.Item.Index', 'site.$': '$.site' },
            ItemProcessor: { StartAt: 'Pick', States: { Pick: { Type: 'Task', Resource: FN, End: true } } },
            ResultPath: '$.picked',
            End: true,
          },
        },
      },
      {
        integrations: {
          async invokeLambda(req, ctx) {
            running++;
            peak = Math.max(peak, running);
            await ctx.sleep(1000);
            running--;
            return { payload: req.payload };
          },
        },
      },
    );
    const { result } = await run({ site: 'DC1', lines: [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }] });
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!).picked).toEqual([
      { sku: 'a', index: 0, site: 'DC1' },
      { sku: 'b', index: 1, site: 'DC1' },
      { sku: 'c', index: 2, site: 'DC1' },
    ]);
    expect(peak).toBe(2);
  });

  it('fails with the iteration error when an item fails, and records the failed iteration', async () => {
    const { engine, run } = await engineWith(
      {
        StartAt: 'M',
        States: { M: { Type: 'Map', ItemProcessor: { StartAt: 'Pick', States: { Pick: { Type: 'Task', Resource: FN, End: true } } }, End: true } },
      },
      { integrations: { invokeLambda: async (req) => ((req.payload as number) === 2 ? lambdaError('OutOfStock', 'sku 2') : { payload: req.payload }) } },
    );
    const { executionArn, result } = await run([1, 2, 3]);
    expect(result).toMatchObject({ status: 'FAILED', error: 'OutOfStock' });
    const types = (await historyOf(engine, executionArn)).map((e) => e.type);
    expect(types).toContain('MapIterationFailed');
    expect(types).toContain('MapStateFailed');
  });

  it('tolerates failures up to ToleratedFailureCount, then fails with States.ExceedToleratedFailureThreshold', async () => {
    const def = (count: number) => ({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ToleratedFailureCount: count,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Pick', States: { Pick: { Type: 'Task', Resource: FN, End: true } } },
          End: true,
        },
      },
    });
    const integrations = { invokeLambda: async (req: { payload: unknown }) => ((req.payload as number) % 2 === 0 ? lambdaError('Bad', 'even') : { payload: req.payload }) };
    const ok = await engineWith(def(2), { integrations });
    expect((await ok.run([1, 2, 3, 4])).result.status).toBe('SUCCEEDED');
    const ko = await engineWith(def(1), { integrations });
    expect((await ko.run([1, 2, 3, 4])).result).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });
});

describe('Parallel', () => {
  it('returns branch outputs in branch order and sees outer variables read-only', async () => {
    const { run } = await engineWith({
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { carrier: 'ACME' }, Next: 'Both' },
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'who.$': '$carrier' }, End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
          ],
          End: true,
        },
      },
    });
    const { result } = await run({});
    expect(JSON.parse(result.output!)).toEqual([{ who: 'ACME' }, 'b']);
  });

  it('fails with the failing branch error, cancels the other branch and can be caught', async () => {
    const { engine, run } = await engineWith({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 3600, End: true } } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'BookingFailed', Cause: 'dock full' } } },
          ],
          Catch: [{ ErrorEquals: ['BookingFailed'], Next: 'Escalate' }],
          End: true,
        },
        Escalate: { Type: 'Pass', End: true },
      },
    });
    const { executionArn, result } = await run({});
    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({ Error: 'BookingFailed', Cause: 'dock full' });
    const events = await historyOf(engine, executionArn);
    expect(events.map((e) => e.type)).toContain('ParallelStateFailed');
    // the Wait branch was cancelled: the execution did not wait an hour
    expect(result.stopDate!.getTime() - result.startDate.getTime()).toBeLessThan(3600_000);
  });
});

describe('states:startExecution', () => {
  it('.sync:2 runs the child execution and returns its parsed output', async () => {
    const { engine, run } = await engineWith({
      StartAt: 'Child',
      States: {
        Child: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:child', Input: { 'n.$': '$.n' } },
          ResultSelector: { 'out.$': '$.Output' },
          End: true,
        },
      },
    });
    await engine.createStateMachine({
      name: 'child',
      definition: JSON.stringify({ StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } }),
      roleArn: 'arn:aws:iam::000000000000:role/test',
    });
    const { result } = await run({ n: 21 });
    expect(JSON.parse(result.output!)).toEqual({ out: { doubled: 42 } });
  });
});

describe('Map ItemBatcher', () => {
  it('hands each iteration a batch of items with the BatchInput fields', async () => {
    const { run } = await engineWith({
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'site.$': '$.site' } },
          ItemsPath: '$.lines',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    });
    const { result } = await run({ site: 'DC1', lines: [1, 2, 3] });
    expect(JSON.parse(result.output!)).toEqual([
      { site: 'DC1', Items: [1, 2] },
      { site: 'DC1', Items: [3] },
    ]);
  });
});
