/**
 * PutEvents request validation and event envelopes.
 *
 * AWS splits faults in two: a malformed request (no entries, more than 10, over the size limit,
 * a bus name that breaks the API's pattern) fails the whole call with `ValidationException`;
 * a bad entry (missing `Source`, `DetailType` or `Detail`, a `Detail` that is not a JSON object,
 * an `aws.` source, an unknown bus) fails only that entry, reported in its place in `Entries`
 * with `ErrorCode`/`ErrorMessage`, and counted in `FailedEntryCount`.
 */
import { randomUUID } from 'crypto';
import { validationError } from './errors';

export interface PutEventsRequestEntry {
  Time?: Date | number | string;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}

export interface PutEventsRequest {
  Entries: PutEventsRequestEntry[];
  EndpointId?: string;
}

export interface PutEventsResultEntry {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

export interface PutEventsResponse {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** The event as rules see it and targets receive it. */
export interface EventEnvelope {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface AcceptedEvent {
  /** Position of the entry in the request. */
  index: number;
  busName: string;
  event: EventEnvelope;
}

export interface PutEventsContext {
  account: string;
  region: string;
  /** Epoch milliseconds, used when an entry has no `Time`. */
  now: number;
  /** Whether the named bus exists (a name, already resolved from an ARN). */
  busExists(name: string): boolean;
  newId?: () => string;
}

/** AWS's limit on the summed entry sizes of one PutEvents request. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
const MAX_ENTRIES = 10;
const BUS_NAME_PATTERN = /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/.\-_A-Za-z0-9]+$/;

/**
 * An entry's size as AWS documents it: 14 bytes for `Time` when present, plus the UTF-8 bytes of
 * `Source`, `DetailType`, `Detail` and every `Resources` entry.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time !== undefined ? 14 : 0;
  for (const s of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (typeof s === 'string') size += Buffer.byteLength(s, 'utf8');
  }
  return size;
}

/** `name` for a bus name or a bus ARN. */
export function busNameOf(nameOrArn: string): string {
  const m = /:event-bus\/(.+)$/.exec(nameOrArn);
  return m ? m[1] : nameOrArn;
}

/** ISO-8601 to the second, the form EventBridge writes `time` in. */
export function formatEventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function entryTime(time: PutEventsRequestEntry['Time'], now: number): number | undefined {
  if (time === undefined) return now;
  // The SDK serializes a Date as epoch seconds; accept that, a Date, or an ISO-8601 string.
  const ms = time instanceof Date ? time.getTime() : typeof time === 'number' ? time * 1000 : Date.parse(time);
  return Number.isFinite(ms) ? ms : undefined;
}

function validateRequest(request: PutEventsRequest): void {
  const entries = request?.Entries;
  if (!Array.isArray(entries)) {
    throw validationError("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
  }
  if (entries.length < 1 || entries.length > MAX_ENTRIES) {
    const bound = entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
    throw validationError(
      `1 validation error detected: Value '[${entries.map(() => 'PutEventsRequestEntry').join(', ')}]' at 'entries' failed to satisfy constraint: Member must have length ${bound}`,
    );
  }
  entries.forEach((entry, i) => {
    const bus = entry.EventBusName;
    if (bus !== undefined && (bus.length < 1 || bus.length > 1600 || !BUS_NAME_PATTERN.test(bus))) {
      throw validationError(
        `1 validation error detected: Value '${bus}' at 'entries.${i + 1}.member.eventBusName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+`,
      );
    }
    if (entry.Time !== undefined && entryTime(entry.Time, 0) === undefined) {
      throw validationError(`1 validation error detected: Value '${String(entry.Time)}' at 'entries.${i + 1}.member.time' failed to satisfy constraint: Member must be a timestamp`);
    }
  });
  const total = entries.reduce((n, e) => n + entrySize(e), 0);
  if (total > MAX_REQUEST_BYTES) throw validationError('Total size of the entries in the request is over the limit.');
}

function entryFault(entry: PutEventsRequestEntry, context: PutEventsContext): PutEventsResultEntry | undefined {
  const required = (field: 'Source' | 'DetailType' | 'Detail'): PutEventsResultEntry => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
  });
  if (!entry.Source) return required('Source');
  if (!entry.DetailType) return required('DetailType');
  if (!entry.Detail) return required('Detail');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  // Only AWS services may publish under the `aws.` namespace.
  if (entry.Source.startsWith('aws.')) {
    return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' };
  }
  const busName = busNameOf(entry.EventBusName ?? 'default');
  if (!context.busExists(busName)) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
  }
  return undefined;
}

/**
 * Validates a PutEvents request and builds the envelope of every accepted entry. Throws
 * `ValidationException` for a request AWS refuses outright; per-entry faults are in `response`.
 */
export function preparePutEvents(
  request: PutEventsRequest,
  context: PutEventsContext,
): { response: PutEventsResponse; accepted: AcceptedEvent[] } {
  validateRequest(request);
  const newId = context.newId ?? randomUUID;
  const results: PutEventsResultEntry[] = [];
  const accepted: AcceptedEvent[] = [];
  request.Entries.forEach((entry, index) => {
    const fault = entryFault(entry, context);
    if (fault) {
      results.push(fault);
      return;
    }
    const id = newId();
    results.push({ EventId: id });
    accepted.push({
      index,
      busName: busNameOf(entry.EventBusName ?? 'default'),
      event: {
        version: '0',
        id,
        'detail-type': entry.DetailType as string,
        source: entry.Source as string,
        account: context.account,
        time: formatEventTime(entryTime(entry.Time, context.now) as number),
        region: context.region,
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail as string),
      },
    });
  });
  return { response: { FailedEntryCount: results.length - accepted.length, Entries: results }, accepted };
}
