import { LocalEventBridge, entrySize, preparePutEvents } from '../../local/eventbridge';

const context = { account: '000000000000', region: 'us-east-1', now: Date.parse('2024-05-01T10:00:00.750Z'), busExists: (n: string) => n === 'default' };
const ok = { Source: 'erp', DetailType: 'OrderReleased', Detail: '{"a":1}' };

describe('PutEvents reports bad entries per entry', () => {
  test('each faulty entry is reported in its place; good ones get an EventId', () => {
    const { response, accepted } = preparePutEvents(
      {
        Entries: [
          ok,
          { DetailType: 'x', Detail: '{}' },
          { Source: 'erp', Detail: '{}' },
          { Source: 'erp', DetailType: 'x' },
          { Source: 'erp', DetailType: 'x', Detail: '[1,2]' },
          { Source: 'erp', DetailType: 'x', Detail: 'not json' },
          { Source: 'aws.ec2', DetailType: 'x', Detail: '{}' },
          { ...ok, EventBusName: 'ghost' },
        ],
      },
      context,
    );
    expect(response.FailedEntryCount).toBe(7);
    expect(response.Entries[0].EventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.Entries.slice(1)).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus ghost does not exist.' },
    ]);
    expect(accepted).toHaveLength(1);
  });

  test('the envelope: version 0, uuid, time to the second (from Time when given), resources', () => {
    const { accepted } = preparePutEvents(
      { Entries: [ok, { ...ok, Time: new Date('2023-01-02T03:04:05.678Z'), Resources: ['arn:x'] }, { ...ok, Time: 1700000000 }] },
      context,
    );
    expect(accepted[0].event).toMatchObject({ version: '0', time: '2024-05-01T10:00:00Z', resources: [], detail: { a: 1 }, account: '000000000000', region: 'us-east-1' });
    expect(accepted[1].event).toMatchObject({ time: '2023-01-02T03:04:05Z', resources: ['arn:x'] });
    expect(accepted[2].event.time).toBe('2023-11-14T22:13:20Z');
  });

  test('a request AWS refuses outright fails as a whole with ValidationException', () => {
    const refuse = (Entries: object[]) => expect(() => preparePutEvents({ Entries } as never, context)).toThrow(expect.objectContaining({ name: 'ValidationException' }));
    refuse([]);
    refuse(Array.from({ length: 11 }, () => ok));
    refuse([{ ...ok, EventBusName: 'bad name!' }]);
    refuse([{ ...ok, Detail: JSON.stringify({ big: 'x'.repeat(1024 * 1024) }) }]);
    refuse([{ ...ok, Time: 'not a time' }]);
  });

  test('entry size counts Time as 14 bytes plus UTF-8 bytes of Source, DetailType, Detail, Resources', () => {
    expect(entrySize({ Source: 'ab', DetailType: 'cd', Detail: '{"é":1}', Resources: ['r1'] })).toBe(2 + 2 + 8 + 2);
    expect(entrySize({ Time: new Date(), Source: 'ab' })).toBe(16);
  });

  test('the bus accepts an event bus ARN and answers per entry', () => {
    const bus = new LocalEventBridge({ deliver: () => undefined });
    const res = bus.putEvents({ Entries: [{ ...ok, EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/default' }, { ...ok, Detail: '' }] });
    expect(res.FailedEntryCount).toBe(1);
    expect(res.Entries[0].EventId).toBeDefined();
  });
});
