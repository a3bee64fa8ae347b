import { DeliveryError, LocalEventBridge, ManualClock, type DeliveryContext, type DeliveryTarget } from '../../local/eventbridge';

const TARGET = 'arn:aws:lambda:us-east-1:000000000000:function:allocate';
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:allocate-dlq';

function setup(failures: (attempt: number) => Error | undefined) {
  const clock = new ManualClock(Date.parse('2024-05-01T10:00:00Z'));
  const attempts: Array<{ at: number; attempt: number }> = [];
  const dead: Array<{ payload: string; context: DeliveryContext }> = [];
  const bus = new LocalEventBridge({
    clock,
    retry: { baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.5 },
    deliver: async (target: DeliveryTarget, payload, context) => {
      if (target.Arn === DLQ) {
        dead.push({ payload, context });
        return;
      }
      attempts.push({ at: clock.now(), attempt: context.attempt });
      const error = failures(context.attempt);
      if (error) throw error;
    },
  });
  bus.putRule({ Name: 'alloc', EventPattern: '{"source":["wms"]}' });
  return { bus, clock, attempts, dead };
}

/** Runs the simulated clock until the bus has nothing left to do. */
async function drain(bus: LocalEventBridge, clock: ManualClock): Promise<void> {
  let done = false;
  void bus.idle().then(() => (done = true));
  for (let i = 0; i < 10_000 && !done; i++) {
    await new Promise((r) => setImmediate(r));
    if (!done) clock.runNext();
  }
  expect(done).toBe(true);
}

const put = (bus: LocalEventBridge) =>
  bus.putEvents({ Entries: [{ Source: 'wms', DetailType: 'Picked', Detail: '{"order":"o-1"}' }] });

describe('a failing target is retried with backoff, then dead-lettered', () => {
  test('a target that recovers is delivered after retries, with growing delays', async () => {
    const { bus, clock, attempts, dead } = setup((n) => (n < 3 ? new Error('busy') : undefined));
    bus.putTargets({ Rule: 'alloc', Targets: [{ Id: 't', Arn: TARGET, DeadLetterConfig: { Arn: DLQ } }] });
    put(bus);
    await drain(bus, clock);
    expect(attempts.map((a) => a.attempt)).toEqual([0, 1, 2, 3]);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
    expect(gaps).toEqual([750, 1500, 3000]); // exponential, with (here fixed) jitter
    expect(dead).toHaveLength(0);
    expect(bus.counters).toMatchObject({ matched: 1, delivered: 1, retried: 3, deadLettered: 0 });
  });

  test('after MaximumRetryAttempts the original event goes to the DLQ with AWS attributes', async () => {
    const { bus, clock, attempts, dead } = setup(() => new Error('Lambda is down'));
    bus.putTargets({
      Rule: 'alloc',
      Targets: [{ Id: 't', Arn: TARGET, Input: '{"fixed":true}', RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: DLQ } }],
    });
    const { Entries } = put(bus);
    await drain(bus, clock);
    expect(attempts).toHaveLength(3);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0].payload)).toMatchObject({ id: Entries[0].EventId, source: 'wms', detail: { order: 'o-1' } });
    const attrs = Object.fromEntries(Object.entries(dead[0].context.messageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]));
    expect(attrs).toEqual({
      RULE_ARN: 'arn:aws:events:us-east-1:000000000000:rule/alloc',
      TARGET_ARN: TARGET,
      ERROR_CODE: 'SDK_CLIENT_ERROR',
      ERROR_MESSAGE: 'Lambda is down',
      RETRY_ATTEMPTS: '2',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
    expect(bus.counters).toMatchObject({ delivered: 0, retried: 2, deadLettered: 1 });
  });

  test('MaximumEventAgeInSeconds stops retries even with attempts left', async () => {
    const { bus, clock, attempts, dead } = setup(() => new Error('down'));
    bus.putTargets({ Rule: 'alloc', Targets: [{ Id: 't', Arn: TARGET, RetryPolicy: { MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: DLQ } }] });
    put(bus);
    await drain(bus, clock);
    expect(attempts.length).toBeLessThan(10);
    expect(attempts[attempts.length - 1].at - attempts[0].at).toBeLessThanOrEqual(60_000);
    expect(dead[0].context.messageAttributes?.EXHAUSTED_RETRY_CONDITION.StringValue).toBe('MaximumEventAgeInSeconds');
  });

  test('the default policy retries 185 times within 24 hours', async () => {
    const { bus, clock, attempts, dead } = setup(() => new Error('down'));
    bus.putTargets({ Rule: 'alloc', Targets: [{ Id: 't', Arn: TARGET, DeadLetterConfig: { Arn: DLQ } }] });
    put(bus);
    await drain(bus, clock);
    expect(attempts.length).toBeLessThanOrEqual(186);
    expect(attempts[attempts.length - 1].at - attempts[0].at).toBeLessThanOrEqual(86_400_000);
    expect(dead).toHaveLength(1);
  });

  test('a non-retryable error goes straight to the DLQ; without a DLQ the event is dropped', async () => {
    const { bus, clock, attempts, dead } = setup(() => new DeliveryError('NO_RESOURCE', 'Function not found', false));
    bus.putTargets({ Rule: 'alloc', Targets: [{ Id: 't', Arn: TARGET, DeadLetterConfig: { Arn: DLQ } }, { Id: 'u', Arn: TARGET }] });
    put(bus);
    await drain(bus, clock);
    expect(attempts).toHaveLength(2);
    expect(dead).toHaveLength(1);
    expect(dead[0].context.messageAttributes?.ERROR_CODE.StringValue).toBe('NO_RESOURCE');
    expect(bus.counters).toMatchObject({ deadLettered: 1, dropped: 1, retried: 0 });
  });
});
