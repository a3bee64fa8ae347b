import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, FileExecutionStore, TestClock } from '../../local/engine';
import { ROLE, historyOf } from './helpers';
import { EventLineWriter, restoreCompactEvents } from '../../local/engine/store/serialize';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:f';

const MACHINE = {
  StartAt: 'Call',
  States: {
    Call: { Type: 'Task', Resource: FN, Next: 'Keep' },
    Keep: { Type: 'Pass', ResultPath: '$.kept', Result: { text: 'a "quoted"\nline', n: -0.5 }, Next: 'Invoke' },
    Invoke: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'f', 'Payload.$': '$' },
      ResultSelector: { 'p.$': '$.Payload' },
      ResultPath: '$.invoked',
      Assign: { seen: 'yes' },
      Next: 'Fail?',
    },
    'Fail?': {
      Type: 'Task',
      Resource: FN,
      Parameters: { fail: true },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }],
      Next: 'Done',
    },
    Done: { Type: 'Pass', End: true },
  },
};

describe('FileExecutionStore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-file-store-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const start = (clock: TestClock) =>
    Engine.start({
      clock,
      store: new FileExecutionStore({ directory: dir }),
      integrations: {
        async invokeLambda(req) {
          const p = req.payload as Record<string, unknown>;
          if (p.fail) throw Object.assign(new Error('boom'), { name: 'ServiceException' });
          return { payload: { ...p, unicode: 'é\u2028😀' } };
        },
      },
    });

  it('gives back the same histories, records and definitions after a restart (and after compaction)', async () => {
    const clock = new TestClock();
    const first = await start(clock);
    const { stateMachineArn } = await first.createStateMachine({ name: 'm', definition: JSON.stringify(MACHINE), roleArn: ROLE });
    const arns: string[] = [];
    for (const input of ['{ "order" : 1 }', '{"order":2,"s":"x\\ny"}', '[1, 2]']) {
      const { executionArn } = await first.startExecution({ stateMachineArn, input });
      arns.push(executionArn);
      expect((await first.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    }
    const before = await Promise.all(arns.map(async (a) => ({ d: await first.describeExecution({ executionArn: a }), h: await historyOf(first, a) })));
    await first.close();

    for (let restart = 0; restart < 2; restart++) {
      const again = await start(clock);
      for (let i = 0; i < arns.length; i++) {
        expect(await again.describeExecution({ executionArn: arns[i] })).toEqual(before[i].d);
        expect(await historyOf(again, arns[i])).toEqual(before[i].h);
      }
      // The execution input is kept as given (not re-serialized).
      expect((await historyOf(again, arns[0]))[0].executionStartedEventDetails).toMatchObject({ input: '{ "order" : 1 }' });
      await again.close();
    }
  });

  it('writes the events of an execution in a batch as one line', async () => {
    const clock = new TestClock();
    const store = new FileExecutionStore({ directory: dir });
    const engine = await Engine.start({ clock, store, integrations: { invokeLambda: async (req) => ({ payload: req.payload }) } });
    const { stateMachineArn } = await engine.createStateMachine({ name: 'm', definition: JSON.stringify(MACHINE), roleArn: ROLE });
    const file = path.join(dir, 'journal.ndjson');
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => engine.startExecution({ stateMachineArn, input: JSON.stringify({ i }) })));
    await Promise.all(runs.map((r) => engine.waitForExecution(r.executionArn)));
    await store.flush();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    // 10 executions × ~20 events: far fewer lines than events (one events line per execution per batch).
    const events = (await Promise.all(runs.map((r) => historyOf(engine, r.executionArn)))).reduce((n, h) => n + h.length, 0);
    expect(events).toBeGreaterThan(150);
    expect(lines.length).toBeLessThan(events / 3);
    await engine.close();
  });
  it('keeps histories with branches (previous event ids, tabled strings) and loads journals in the older form', async () => {
    const clock = new TestClock();
    const first = await start(clock);
    const definition = {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Task', Resource: FN, End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
          ],
          Next: 'Each',
        },
        Each: { Type: 'Map', ItemsPath: '$', Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true },
      },
    };
    const { stateMachineArn } = await first.createStateMachine({ name: 'p', definition: JSON.stringify(definition), roleArn: ROLE });
    const { executionArn } = await first.startExecution({ stateMachineArn, input: '{"x":1}' });
    expect((await first.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    const before = await historyOf(first, executionArn);
    expect(before.some((e) => e.previousEventId !== e.id - 1)).toBe(true);
    await first.close();

    const again = await start(clock);
    expect(await historyOf(again, executionArn)).toEqual(before);
    await again.close();

    // The same journal with the events in the older `evs` form (as written before the table).
    const file = path.join(dir, 'journal.ndjson');
    const table: string[] = [];
    const old = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .flatMap((raw) => {
        const line = JSON.parse(raw);
        if (line.k === 'tab') {
          line.v.forEach((v: string, i: number) => (table[line.at + i] = v));
          return [];
        }
        if (line.k !== 'evc') return [raw];
        const w = new EventLineWriter();
        return [`{"k":"evs","arn":${JSON.stringify(line.arn)},"v":[${restoreCompactEvents(line, table).map((e) => w.event(e)).join(',')}]}`];
      });
    expect(old.some((l) => l.startsWith('{"k":"evs"'))).toBe(true);
    fs.writeFileSync(file, old.join('\n') + '\n');
    const third = await start(clock);
    expect(await historyOf(third, executionArn)).toEqual(before);
    await third.close();
    expect(fs.readFileSync(file, 'utf8')).toContain('"k":"evc"');
  });
});
