import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine, MemoryExecutionStore, TestClock } from '../../local/engine';
import { startWorld, tokensIn } from './fixtures/durable-world';
import { ROLE } from './helpers';

const ROOT = path.resolve(__dirname, '../..');

function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - t0 > timeoutMs) return reject(new Error('timed out waiting'));
      setTimeout(tick, 25);
    };
    tick();
  });
}

describe('durability', () => {
  it('continues every execution after the process is killed (SIGKILL) and restarted on the same directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-durable-'));
    // `node --import tsx` runs the script in this very process (the tsx CLI would fork a second
    // node process, which SIGKILL of the CLI would leave running).
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures/durable-child.ts'), dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      // Kill it once every order waits for its carrier (tokens handed out) and the timer runs.
      await waitFor(() => tokensIn(dir).size === 5, 20_000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));

      const engine = await startWorld(dir);
      const arn = (name: string) => `arn:aws:states:us-east-1:000000000000:execution:order:${name}`;
      for (let i = 1; i <= 5; i++) expect((await engine.describeExecution({ executionArn: arn(`O-${i}`) })).status).toBe('RUNNING');

      // Tokens handed out before the crash are still valid.
      for (const [order, token] of tokensIn(dir)) {
        await engine.sendTaskSuccess({ taskToken: token, output: JSON.stringify({ carrier: 'ACME', order }) });
      }
      for (let i = 1; i <= 5; i++) {
        const d = await engine.waitForExecution(arn(`O-${i}`));
        expect(d.status).toBe('SUCCEEDED');
        expect(JSON.parse(d.output!)).toEqual({ order: `O-${i}`, carrier: { carrier: 'ACME', order: `O-${i}` } });
      }
      // The pending 3-second timer was re-armed.
      const slot = await engine.waitForExecution('arn:aws:states:us-east-1:000000000000:execution:timers:slot');
      expect(slot).toMatchObject({ status: 'SUCCEEDED', output: '"booked"' });
      // Each execution's history carries on from before the crash, without gaps.
      const history = (await engine.getExecutionHistory({ executionArn: arn('O-1'), maxResults: 1000 })).events;
      expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
      expect(history.filter((e) => e.type === 'TaskSubmitted')).toHaveLength(1);
      await engine.close();

      // A third engine sees the finished executions after compaction.
      const again = await startWorld(dir);
      expect((await again.describeExecution({ executionArn: arn('O-3') })).status).toBe('SUCCEEDED');
      await again.close();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('resumes a waiting execution from the memory store in a new engine, keeping the wait due time', async () => {
    const store = new MemoryExecutionStore();
    const clock = new TestClock({ autoAdvance: false });
    const first = await Engine.start({ store, clock });
    const { stateMachineArn } = await first.createStateMachine({
      name: 'm',
      definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, Next: 'P' }, P: { Type: 'Pass', Result: 'ok', End: true } } }),
      roleArn: ROLE,
    });
    const { executionArn } = await first.startExecution({ stateMachineArn, name: 'e' });
    await new Promise((r) => setImmediate(r));
    await first.close({ flush: true });

    clock.advance(300_000);
    const second = await Engine.start({ store, clock });
    clock.advance(299_000);
    expect((await second.describeExecution({ executionArn })).status).toBe('RUNNING');
    clock.advance(1_000);
    const d = await second.waitForExecution(executionArn);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '"ok"' });
    expect(d.stopDate!.getTime() - d.startDate.getTime()).toBe(600_000);
  });
});
