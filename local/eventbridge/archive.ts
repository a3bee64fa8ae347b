/**
 * Archives and replays. An archive keeps the events its source bus accepts (optionally only
 * those matching its pattern); a replay re-sends an archive's events from a time window to
 * the rules of a bus, marked with `replay-name` so a rule can tell replayed from live traffic.
 * Replayed events are never archived again, as on AWS.
 */
import { resourceAlreadyExists, resourceNotFound, validationError } from './errors';
import { compileEventPattern, flattenEvent, matchCompiled, type CompiledPattern } from './pattern';
import type { EventEnvelope } from './put-events';

export interface Archive {
  ArchiveName: string;
  ArchiveArn: string;
  EventSourceArn: string;
  Description?: string;
  EventPattern?: string;
  RetentionDays: number;
  State: 'ENABLED';
  EventCount: number;
  SizeBytes: number;
  CreationTime: Date;
}

export interface Replay {
  ReplayName: string;
  ReplayArn: string;
  EventSourceArn: string;
  Destination: { Arn: string; FilterArns?: string[] };
  EventStartTime: Date;
  EventEndTime: Date;
  State: 'STARTING' | 'RUNNING' | 'COMPLETED';
  ReplayStartTime: Date;
  ReplayEndTime?: Date;
  EventLastReplayedTime?: Date;
}

interface ArchiveRecord extends Archive {
  compiled?: CompiledPattern;
  events: EventEnvelope[];
}

/** What the archive store needs from the bus it belongs to. */
export interface ArchiveHost {
  region: string;
  account: string;
  now(): number;
  busArn(name: string): string;
  busExists(name: string): boolean;
  dispatch(busName: string, event: EventEnvelope, onlyRuleArns?: string[]): void;
}

export class ArchiveStore {
  private readonly archives = new Map<string, ArchiveRecord>();
  private readonly replays = new Map<string, Replay>();

  constructor(private readonly host: ArchiveHost) {}

  private arn(kind: 'archive' | 'replay', name: string): string {
    return `arn:aws:events:${this.host.region}:${this.host.account}:${kind}/${name}`;
  }

  createArchive(input: { ArchiveName: string; EventSourceArn: string; Description?: string; EventPattern?: string; RetentionDays?: number }): {
    ArchiveArn: string;
    State: 'ENABLED';
    CreationTime: Date;
  } {
    if (this.archives.has(input.ArchiveName)) throw resourceAlreadyExists(`Archive ${input.ArchiveName} already exists.`);
    const busName = /:event-bus\/(.+)$/.exec(input.EventSourceArn)?.[1];
    if (!busName || !this.host.busExists(busName)) throw resourceNotFound(`Event bus ${busName ?? input.EventSourceArn} does not exist.`);
    const record: ArchiveRecord = {
      ArchiveName: input.ArchiveName,
      ArchiveArn: this.arn('archive', input.ArchiveName),
      EventSourceArn: input.EventSourceArn,
      Description: input.Description,
      EventPattern: input.EventPattern,
      RetentionDays: input.RetentionDays ?? 0,
      State: 'ENABLED',
      EventCount: 0,
      SizeBytes: 0,
      CreationTime: new Date(this.host.now()),
      compiled: input.EventPattern !== undefined ? compileEventPattern(input.EventPattern) : undefined,
      events: [],
    };
    this.archives.set(record.ArchiveName, record);
    return { ArchiveArn: record.ArchiveArn, State: record.State, CreationTime: record.CreationTime };
  }

  describeArchive(input: { ArchiveName: string }): Archive {
    const { compiled: _c, events: _e, ...view } = this.archive(input.ArchiveName);
    return view;
  }

  deleteArchive(input: { ArchiveName: string }): Record<string, never> {
    this.archive(input.ArchiveName);
    this.archives.delete(input.ArchiveName);
    return {};
  }

  private archive(name: string): ArchiveRecord {
    const a = this.archives.get(name);
    if (!a) throw resourceNotFound(`Archive ${name} does not exist.`);
    return a;
  }

  /** Called for every live event a bus accepts. */
  record(busName: string, event: EventEnvelope): void {
    const source = this.host.busArn(busName);
    for (const a of this.archives.values()) {
      if (a.EventSourceArn !== source) continue;
      if (a.compiled && !matchCompiled(a.compiled, flattenEvent(event))) continue;
      a.events.push(structuredClone(event));
      a.EventCount++;
      a.SizeBytes += Buffer.byteLength(JSON.stringify(event));
    }
  }

  startReplay(input: {
    ReplayName: string;
    EventSourceArn: string;
    EventStartTime: Date;
    EventEndTime: Date;
    Destination: { Arn: string; FilterArns?: string[] };
    Description?: string;
  }): { ReplayArn: string; State: Replay['State']; ReplayStartTime: Date } {
    if (this.replays.has(input.ReplayName)) throw resourceAlreadyExists(`Replay ${input.ReplayName} already exists.`);
    const archiveName = /:archive\/(.+)$/.exec(input.EventSourceArn)?.[1] ?? '';
    const archive = this.archive(archiveName);
    const start = new Date(input.EventStartTime).getTime();
    const end = new Date(input.EventEndTime).getTime();
    if (!(start < end)) throw validationError('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
    const busName = /:event-bus\/(.+)$/.exec(input.Destination.Arn)?.[1];
    if (!busName || !this.host.busExists(busName)) throw resourceNotFound(`Event bus ${busName ?? input.Destination.Arn} does not exist.`);
    const replay: Replay = {
      ReplayName: input.ReplayName,
      ReplayArn: this.arn('replay', input.ReplayName),
      EventSourceArn: input.EventSourceArn,
      Destination: input.Destination,
      EventStartTime: new Date(start),
      EventEndTime: new Date(end),
      State: 'STARTING',
      ReplayStartTime: new Date(this.host.now()),
    };
    this.replays.set(replay.ReplayName, replay);
    // Replays run after StartReplay returns, like deliveries after PutEvents.
    queueMicrotask(() => {
      replay.State = 'RUNNING';
      for (const event of archive.events) {
        const t = Date.parse(event.time);
        if (t < start || t >= end) continue;
        this.host.dispatch(busName, { ...structuredClone(event), 'replay-name': replay.ReplayName }, input.Destination.FilterArns ?? undefined);
        replay.EventLastReplayedTime = new Date(t);
      }
      replay.State = 'COMPLETED';
      replay.ReplayEndTime = new Date(this.host.now());
    });
    return { ReplayArn: replay.ReplayArn, State: replay.State, ReplayStartTime: replay.ReplayStartTime };
  }

  describeReplay(input: { ReplayName: string }): Replay {
    const r = this.replays.get(input.ReplayName);
    if (!r) throw resourceNotFound(`Replay ${input.ReplayName} does not exist.`);
    return { ...r };
  }
}
