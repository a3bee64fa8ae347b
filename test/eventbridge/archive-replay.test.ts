import { LocalEventBridge, ManualClock } from '../../local/eventbridge';

describe('archives keep accepted events and replays re-send them to rules', () => {
  test('a replay re-delivers archived events in the window, marked with replay-name, and is not re-archived', async () => {
    const clock = new ManualClock(Date.parse('2024-05-01T10:00:00Z'));
    const payloads: Array<Record<string, unknown>> = [];
    const bus = new LocalEventBridge({ clock, deliver: (_t, payload) => void payloads.push(JSON.parse(payload)) });
    const busArn = bus.describeEventBus().Arn;
    const { ArchiveArn } = bus.archives.createArchive({ ArchiveName: 'all-erp', EventSourceArn: busArn, EventPattern: '{"source":["erp"]}' });
    bus.putRule({ Name: 'r', EventPattern: '{"source":["erp"]}' });
    bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: 'arn:t' }] });

    bus.putEvents({ Entries: [{ Source: 'erp', DetailType: 'A', Detail: '{"n":1}' }, { Source: 'wms', DetailType: 'B', Detail: '{}' }] });
    await bus.idle();
    expect(bus.archives.describeArchive({ ArchiveName: 'all-erp' }).EventCount).toBe(1);

    bus.archives.startReplay({
      ReplayName: 'rp',
      EventSourceArn: ArchiveArn,
      EventStartTime: new Date('2024-05-01T00:00:00Z'),
      EventEndTime: new Date('2024-05-02T00:00:00Z'),
      Destination: { Arn: busArn },
    });
    await new Promise((r) => setImmediate(r));
    await bus.idle();
    expect(payloads).toHaveLength(2);
    expect(payloads[1]).toMatchObject({ source: 'erp', detail: { n: 1 }, 'replay-name': 'rp', id: payloads[0].id });
    expect(bus.archives.describeReplay({ ReplayName: 'rp' }).State).toBe('COMPLETED');
    expect(bus.archives.describeArchive({ ArchiveName: 'all-erp' }).EventCount).toBe(1);
  });
});
