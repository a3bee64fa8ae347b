import { LocalEventBridge, ManualClock, type DeliveryContext, type DeliveryTarget } from '../../local/eventbridge';

function setup() {
  const calls: Array<{ arn: string; payload: string; context: DeliveryContext }> = [];
  const clock = new ManualClock(Date.parse('2024-05-01T10:00:00Z'));
  const bus = new LocalEventBridge({
    clock,
    deliver: (target: DeliveryTarget, payload, context) => void calls.push({ arn: target.Arn, payload, context }),
  });
  return { bus, calls, clock };
}

const entry = (detail: object, extra: object = {}) => ({
  Source: 'erp',
  DetailType: 'OrderReleased',
  Detail: JSON.stringify(detail),
  ...extra,
});

describe('a rule routes matching events to its targets', () => {
  test('only matching events reach the target, with the full envelope', async () => {
    const { bus, calls } = setup();
    bus.putRule({ Name: 'released', EventPattern: JSON.stringify({ source: ['erp'], detail: { site: [{ prefix: 'DE' }] } }) });
    bus.putTargets({ Rule: 'released', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:orders' }] });

    const res = bus.putEvents({ Entries: [entry({ site: 'DE-HAM' }), entry({ site: 'FR-PAR' })] });
    expect(res.FailedEntryCount).toBe(0);
    expect(calls).toHaveLength(0); // PutEvents returns before targets run
    await bus.idle();

    expect(calls).toHaveLength(1);
    const event = JSON.parse(calls[0].payload);
    expect(event).toEqual({
      version: '0',
      id: res.Entries[0].EventId,
      'detail-type': 'OrderReleased',
      source: 'erp',
      account: '000000000000',
      time: '2024-05-01T10:00:00Z',
      region: 'us-east-1',
      resources: [],
      detail: { site: 'DE-HAM' },
    });
    expect(calls[0].context).toMatchObject({ ruleName: 'released', ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/released', eventBusName: 'default' });
    expect(bus.counters).toMatchObject({ matched: 1, delivered: 1 });
  });

  test('a disabled rule delivers nothing until enabled again', async () => {
    const { bus, calls } = setup();
    bus.putRule({ Name: 'r', EventPattern: '{"source":["erp"]}', State: 'DISABLED' });
    bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: 'arn:t' }] });
    bus.putEvents({ Entries: [entry({})] });
    await bus.idle();
    expect(calls).toHaveLength(0);
    bus.enableRule({ Name: 'r' });
    bus.putEvents({ Entries: [entry({})] });
    await bus.idle();
    expect(calls).toHaveLength(1);
  });

  test('rules on a named bus only see that bus; the rule ARN names the bus', async () => {
    const { bus, calls } = setup();
    expect(bus.createEventBus({ Name: 'partners' })).toEqual({ EventBusArn: 'arn:aws:events:us-east-1:000000000000:event-bus/partners' });
    const { RuleArn } = bus.putRule({ Name: 'r', EventBusName: 'partners', EventPattern: '{"source":["erp"]}' });
    expect(RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/partners/r');
    bus.putTargets({ Rule: 'r', EventBusName: 'partners', Targets: [{ Id: 't', Arn: 'arn:t' }] });
    bus.putEvents({ Entries: [entry({}), entry({}, { EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/partners' })] });
    await bus.idle();
    expect(calls).toHaveLength(1);
  });

  test('every target of every matching rule gets the event', async () => {
    const { bus, calls } = setup();
    for (const name of ['a', 'b']) {
      bus.putRule({ Name: name, EventPattern: '{"detail-type":["OrderReleased"]}' });
      bus.putTargets({ Rule: name, Targets: [{ Id: '1', Arn: `arn:${name}1` }, { Id: '2', Arn: `arn:${name}2` }] });
    }
    bus.putEvents({ Entries: [entry({})] });
    await bus.idle();
    expect(calls.map((c) => c.arn).sort()).toEqual(['arn:a1', 'arn:a2', 'arn:b1', 'arn:b2']);
  });
});

describe('rule and bus administration follows AWS shapes and errors', () => {
  test('describe, list with prefix and paging', () => {
    const { bus } = setup();
    for (const n of ['order-a', 'order-b', 'order-c', 'ship-a']) bus.putRule({ Name: n, EventPattern: '{"source":["x"]}', Description: n });
    expect(bus.describeRule({ Name: 'order-b' })).toEqual({
      Name: 'order-b',
      Arn: 'arn:aws:events:us-east-1:000000000000:rule/order-b',
      EventPattern: '{"source":["x"]}',
      State: 'ENABLED',
      Description: 'order-b',
      EventBusName: 'default',
      CreatedBy: '000000000000',
    });
    const first = bus.listRules({ NamePrefix: 'order-', Limit: 2 });
    expect(first.Rules.map((r) => r.Name)).toEqual(['order-a', 'order-b']);
    const second = bus.listRules({ NamePrefix: 'order-', Limit: 2, NextToken: first.NextToken });
    expect(second.Rules.map((r) => r.Name)).toEqual(['order-c']);
    expect(second.NextToken).toBeUndefined();
  });

  test('unknown rules and buses are ResourceNotFoundException', () => {
    const { bus } = setup();
    expect(() => bus.describeRule({ Name: 'nope' })).toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException', message: 'Rule nope does not exist on EventBus default.' }),
    );
    expect(() => bus.putTargets({ Rule: 'nope', Targets: [{ Id: 't', Arn: 'a' }] })).toThrow(expect.objectContaining({ name: 'ResourceNotFoundException' }));
    expect(() => bus.describeEventBus({ Name: 'ghost' })).toThrow(
      expect.objectContaining({ name: 'ResourceNotFoundException', message: 'Event bus ghost does not exist.' }),
    );
  });

  test('validation: invalid pattern, missing pattern, rule with targets, bad targets', () => {
    const { bus } = setup();
    expect(() => bus.putRule({ Name: 'r', EventPattern: '{"a": 1}' })).toThrow(expect.objectContaining({ name: 'InvalidEventPatternException' }));
    expect(() => bus.putRule({ Name: 'r' })).toThrow(
      expect.objectContaining({ name: 'ValidationException', message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.' }),
    );
    expect(() => bus.putRule({ Name: 'bad name', EventPattern: '{"a":[1]}' })).toThrow(expect.objectContaining({ name: 'ValidationException' }));
    bus.putRule({ Name: 'r', EventPattern: '{"a":[1]}' });
    bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: 'arn:t' }] });
    expect(() => bus.deleteRule({ Name: 'r' })).toThrow(expect.objectContaining({ name: 'ValidationException', message: "Rule can't be deleted since it has targets." }));
    expect(() => bus.putTargets({ Rule: 'r', Targets: [{ Id: 'x', Arn: 'arn:x', Input: '{}', InputPath: '$.detail' }] })).toThrow(
      expect.objectContaining({ name: 'ValidationException' }),
    );
    expect(() => bus.putTargets({ Rule: 'r', Targets: [{ Id: 'x', Arn: 'arn:x', RetryPolicy: { MaximumRetryAttempts: 200 } }] })).toThrow(
      expect.objectContaining({ name: 'ValidationException' }),
    );
    bus.removeTargets({ Rule: 'r', Ids: ['t'] });
    expect(bus.listTargetsByRule({ Rule: 'r' }).Targets).toEqual([]);
    bus.deleteRule({ Name: 'r' });
    expect(bus.listRules().Rules).toEqual([]);
  });

  test('buses: default exists, names are unique, default cannot be deleted', () => {
    const { bus } = setup();
    bus.createEventBus({ Name: 'b1' });
    expect(() => bus.createEventBus({ Name: 'b1' })).toThrow(expect.objectContaining({ name: 'ResourceAlreadyExistsException' }));
    expect(bus.listEventBuses().EventBuses.map((b) => b.Name)).toEqual(['b1', 'default']);
    expect(bus.describeEventBus().Arn).toBe('arn:aws:events:us-east-1:000000000000:event-bus/default');
    expect(() => bus.deleteEventBus({ Name: 'default' })).toThrow(expect.objectContaining({ name: 'ValidationException' }));
    bus.deleteEventBus({ Name: 'b1' });
    expect(bus.listEventBuses({ NamePrefix: 'b' }).EventBuses).toEqual([]);
  });

  test('a target limit of five per rule', () => {
    const { bus } = setup();
    bus.putRule({ Name: 'r', EventPattern: '{"a":[1]}' });
    const targets = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: `arn:${i}` }));
    expect(() => bus.putTargets({ Rule: 'r', Targets: targets })).toThrow(expect.objectContaining({ name: 'LimitExceededException' }));
  });
});
