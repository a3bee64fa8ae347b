import { z } from 'zod';
import * as events from './events';

/** EventBridge `source` of each producing system. */
export const sources = {
  erp: 'logistics.erp',
  wms: 'logistics.wms',
  tms: 'logistics.tms',
  carrier: 'logistics.carrier',
  finance: 'logistics.finance',
  orchestrator: 'logistics.orchestrator',
  ops: 'logistics.ops',
} as const;
export type SourceSystem = keyof typeof sources;

interface CatalogEntry {
  /** The system that produces the event; its EventBridge source is `sources[system]`. */
  readonly system: SourceSystem;
  /** Payload schema per schema version. */
  readonly versions: Readonly<Record<string, z.ZodType>>;
}

/** The event catalog: one entry per event type (the EventBridge `detail-type`), one schema per version. */
export const catalog = {
  OrderReleased: { system: 'erp', versions: { '1': events.OrderReleasedV1 } },
  OrderCancelled: { system: 'erp', versions: { '1': events.OrderCancelledV1 } },
  WaveReleased: { system: 'wms', versions: { '1': events.WaveReleasedV1 } },
  ShipmentPacked: { system: 'wms', versions: { '1': events.ShipmentPackedV1 } },
  ShipConfirmed: { system: 'wms', versions: { '1': events.ShipConfirmedV1 } },
  LoadPlanned: { system: 'tms', versions: { '1': events.LoadPlannedV1 } },
  TenderAccepted: { system: 'carrier', versions: { '1': events.TenderAcceptedV1 } },
  TenderRejected: { system: 'carrier', versions: { '1': events.TenderRejectedV1 } },
  ShipmentMilestone: { system: 'carrier', versions: { '1': events.ShipmentMilestoneV1 } },
  ProofOfDelivery: { system: 'carrier', versions: { '1': events.ProofOfDeliveryV1 } },
  InvoiceReleased: { system: 'finance', versions: { '1': events.InvoiceReleasedV1 } },
  OrderStageChanged: { system: 'orchestrator', versions: { '1': events.OrderStageChangedV1 } },
  ExceptionRaised: { system: 'orchestrator', versions: { '1': events.ExceptionRaisedV1 } },
  ApprovalRequested: { system: 'orchestrator', versions: { '1': events.ApprovalRequestedV1 } },
  SlaBreached: { system: 'orchestrator', versions: { '1': events.SlaBreachedV1 } },
  IncidentRaised: { system: 'orchestrator', versions: { '1': events.IncidentRaisedV1 } },
  ExceptionResolved: { system: 'ops', versions: { '1': events.ExceptionResolvedV1 } },
  ApprovalDecided: { system: 'ops', versions: { '1': events.ApprovalDecidedV1 } },
} as const satisfies Record<string, CatalogEntry>;

export type EventType = keyof typeof catalog;
export const eventTypes = Object.keys(catalog) as EventType[];

/** The payload type of the newest version of each event type. */
export type EventData<T extends EventType> = z.output<(typeof catalog)[T]['versions']['1']>;

/** Event types produced by a system. */
export function eventTypesOf(system: SourceSystem): EventType[] {
  return eventTypes.filter((t) => catalog[t].system === system);
}

/** The common envelope carried in `detail` of every event. */
export function envelopeSchema<T extends z.ZodType>(data: T) {
  return z.object({
    schemaVersion: z.string().regex(/^\d+$/, 'schemaVersion must be a whole number as a string').describe('Version of the data schema'),
    eventId: z.string().min(1).max(128).describe('Unique id of this event (duplicates carry the same id)'),
    correlationId: z.string().min(1).max(64).describe('Correlation id: the order id'),
    occurredAt: z.iso.datetime({ offset: true }).describe('When it happened at the producer (ISO 8601)'),
    producer: z.string().min(1).max(64).describe('Producing system instance'),
    data,
  });
}

/** Envelope schemas by data schema, built once: building one (and compiling its parser) costs far more than a parse. */
const envelopes = new WeakMap<z.ZodType, ReturnType<typeof envelopeSchema>>();
const unknownData = z.unknown();
function envelopeOf(data: z.ZodType | undefined) {
  const key = data ?? unknownData;
  let schema = envelopes.get(key);
  if (!schema) envelopes.set(key, (schema = envelopeSchema(key)));
  return schema;
}

export type Envelope<D = unknown> = {
  schemaVersion: string;
  eventId: string;
  correlationId: string;
  occurredAt: string;
  producer: string;
  data: D;
};

/** Largest `detail` accepted, in bytes of its JSON. Larger payloads must be claim-checked by the producer. */
export const maxDetailBytes = 256 * 1024;

export interface ContractViolation {
  /** Why the event was refused, as a stable code for dashboards. */
  readonly code: 'UNKNOWN_TYPE' | 'UNKNOWN_VERSION' | 'WRONG_SOURCE' | 'INVALID' | 'OVERSIZED' | 'CORRELATION_MISMATCH';
  /** One line naming the field and the rule. */
  readonly reason: string;
  readonly issues: ReadonlyArray<{ field: string; rule: string }>;
}

export type ParseResult<T extends EventType = EventType> =
  | { ok: true; type: T; envelope: Envelope<EventData<T>> }
  | { ok: false; violation: ContractViolation };

function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? 'detail' : `detail.${path.map(String).join('.')}`;
}

function violation(code: ContractViolation['code'], issues: ContractViolation['issues']): ContractViolation {
  return { code, issues, reason: issues.map((i) => `${i.field}: ${i.rule}`).join('; ') };
}

/**
 * Checks an inbound event against its contract. Never throws for bad input: the caller
 * quarantines a refused event with the returned reason, so nothing is dropped silently.
 */
export function parseEvent(detailType: string, source: string | undefined, detail: unknown): ParseResult {
  const size = Buffer.byteLength(typeof detail === 'string' ? detail : JSON.stringify(detail ?? null), 'utf8');
  if (size > maxDetailBytes) {
    return { ok: false, violation: violation('OVERSIZED', [{ field: 'detail', rule: `must be at most ${maxDetailBytes} bytes, was ${size}` }]) };
  }
  if (!(detailType in catalog)) {
    return { ok: false, violation: violation('UNKNOWN_TYPE', [{ field: 'detail-type', rule: `'${detailType}' is not in the event catalog` }]) };
  }
  const type = detailType as EventType;
  const entry = catalog[type];
  if (source !== undefined && source !== sources[entry.system]) {
    return { ok: false, violation: violation('WRONG_SOURCE', [{ field: 'source', rule: `${type} must come from '${sources[entry.system]}', not '${source}'` }]) };
  }
  const version = (detail as { schemaVersion?: unknown } | null)?.schemaVersion;
  const schema = typeof version === 'string' ? (entry.versions as Record<string, z.ZodType>)[version] : undefined;
  if (typeof version === 'string' && /^\d+$/.test(version) && !schema) {
    const known = Object.keys(entry.versions).join(', ');
    return { ok: false, violation: violation('UNKNOWN_VERSION', [{ field: 'detail.schemaVersion', rule: `version '${version}' of ${type} is unknown (known: ${known})` }]) };
  }
  const parsed = envelopeOf(schema).safeParse(detail);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ field: fieldName(i.path), rule: i.message }));
    return { ok: false, violation: violation('INVALID', issues) };
  }
  const envelope = parsed.data as Envelope<EventData<typeof type>>;
  const dataOrderId = (envelope.data as { orderId?: string }).orderId;
  if (dataOrderId !== undefined && dataOrderId !== envelope.correlationId) {
    return {
      ok: false,
      violation: violation('CORRELATION_MISMATCH', [
        { field: 'detail.correlationId', rule: `must equal detail.data.orderId ('${dataOrderId}'), was '${envelope.correlationId}'` },
      ]),
    };
  }
  return { ok: true, type, envelope };
}

/** Narrows a parse result to one event type. */
export function isEvent<T extends EventType>(result: ParseResult, type: T): result is { ok: true; type: T; envelope: Envelope<EventData<T>> } {
  return result.ok && result.type === type;
}

/** JSON Schema dialects `jsonSchemaOf` can produce (the EventBridge schema registry wants draft-4). */
export type JsonSchemaTarget = 'draft-2020-12' | 'draft-7' | 'draft-4';

/** JSON Schema (draft 2020-12 unless `target` says otherwise) of an event's full `detail`, generated from the zod schema. */
export function jsonSchemaOf(type: EventType, version = '1', target: JsonSchemaTarget = 'draft-2020-12'): Record<string, unknown> {
  const schema = (catalog[type].versions as Record<string, z.ZodType>)[version];
  if (!schema) throw new Error(`No version ${version} of ${type}`);
  const detail = envelopeSchema(schema).describe(schema.description ?? type);
  return z.toJSONSchema(detail, { io: 'input', unrepresentable: 'any', target }) as Record<string, unknown>;
}
