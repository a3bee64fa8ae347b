import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal, replayJournal, RuntimeJournal } from '../../local/runtime/journal';
import { LocalScheduler } from '../../local/scheduler/scheduler';
import { QueueService } from '../../local/sqs/queue-service';
import { ManualClock } from '../support/manual-clock';

const schedule = (at: string) => ({
  GroupName: 'sims',
  ScheduleExpression: `at(${at})`,
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/logistics', RoleArn: 'arn:aws:iam::000000000000:role/r', EventBridgeParameters: { Source: 's', DetailType: 'd' }, Input: '{}' },
});

/** The runtime's services over one journal, as LocalRuntime wires them. */
function services(journal: RuntimeJournal, clock: ManualClock, fired: string[]) {
  const sqs = new QueueService({ endpoint: 'http://127.0.0.1', clock, journal });
  sqs.createQueue({ QueueName: 'work' });
  const scheduler = new LocalScheduler({ clock, journal, invoke: async (target) => void fired.push(target.Input!) });
  const redelivered: unknown[] = [];
  return { sqs, scheduler, bus: { redeliver: (job: never) => void redelivered.push(job) }, redelivered };
}

describe('the runtime journal (what a SIGKILL must not lose)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the messages, schedules and deliveries still open, and the clock, across a restart; a line cut short is ignored', async () => {
    const file = join(dir, 'journal.jsonl');
    const clock = new ManualClock();
    const first = RuntimeJournal.begin(file, () => clock.now());
    first.commit();
    const before = services(first, clock, []);
    const { QueueUrl } = before.sqs.getQueueUrl({ QueueName: 'work' });
    before.sqs.sendMessage({ QueueUrl, MessageBody: 'done' });
    before.sqs.sendMessage({ QueueUrl, MessageBody: 'in flight when killed' });
    before.sqs.sendMessage({ QueueUrl, MessageBody: 'delayed', DelaySeconds: 900 });
    const [done] = before.sqs.receiveNow({ QueueUrl, MaxNumberOfMessages: 1 }).Messages!;
    before.sqs.deleteMessage({ QueueUrl, ReceiptHandle: done!.ReceiptHandle });
    before.sqs.receiveNow({ QueueUrl, MaxNumberOfMessages: 1 });
    before.scheduler.createSchedule('fires-before-kill', schedule('2026-11-23T08:05:00'));
    before.scheduler.createSchedule('pending', schedule('2026-11-24T08:00:00'));
    const delivered = first.deliveryStarted({ id: 'delivered' });
    first.deliveryStarted({ id: 'pending' });
    first.deliveryFinished(delivered);
    await clock.advance(10 * 60_000);
    first.tick();
    appendFileSync(file, '{"k":"q+","q":"work","m":{"messageId":"cut-sh');

    const state = readJournal(file);
    expect(state.now).toBe(Date.parse('2026-11-23T08:10:00Z'));
    expect(state.messages.get('work')!.map((m) => m.body)).toEqual(['in flight when killed', 'delayed']);
    expect(state.schedules.map((s) => s.name)).toEqual(['pending']);
    expect(state.deliveries).toEqual([{ id: 'pending' }]);

    // The restart replays the open work into a new journal, which replaces the old one.
    const restartedClock = new ManualClock(state.now);
    const second = RuntimeJournal.begin(file, () => restartedClock.now());
    const fired: string[] = [];
    const after = services(second, restartedClock, fired);
    expect(replayJournal(state, after)).toEqual([]);
    second.commit();
    const received = after.sqs.receiveNow({ QueueUrl, MaxNumberOfMessages: 10 }).Messages!.map((m) => m.Body);
    expect(received).toEqual(['in flight when killed']); // visible at once; the delayed one keeps its delay
    expect(after.redelivered).toEqual([{ id: 'pending' }]);
    await restartedClock.advance(86_400_000);
    expect(fired).toEqual(['{}']);
    second.close();
    expect(readJournal(file).schedules).toEqual([]);
    expect(readJournal(file).messages.get('work')!.map((m) => m.body)).toEqual(['in flight when killed', 'delayed']);
  });
});
