import type { LogEntry } from '../ports';
import { activityOf } from './activity';

/**
 * Exports of the event log for process-mining tools, written as streams (one order at a time):
 * - OCEL 2.0 JSON (object-centric): object types order, shipment, load, invoice, exception; every
 *   log entry is an event linked to its objects with a qualifier.
 * - XES (IEEE 1849) with the order as case notion: one trace per order.
 */

export type ObjectType = 'order' | 'shipment' | 'load' | 'invoice' | 'exception';
export const objectTypes: readonly ObjectType[] = ['order', 'shipment', 'load', 'invoice', 'exception'];

interface OcelAttribute {
  readonly name: string;
  readonly value: string;
}
interface OcelTimedAttribute extends OcelAttribute {
  readonly time: string;
}
interface OcelRelationship {
  readonly objectId: string;
  readonly qualifier: string;
}
export interface OcelEvent {
  readonly id: string;
  readonly type: string;
  readonly time: string;
  readonly attributes: OcelAttribute[];
  readonly relationships: OcelRelationship[];
}
export interface OcelObject {
  readonly id: string;
  readonly type: ObjectType;
  readonly attributes: OcelTimedAttribute[];
  readonly relationships: OcelRelationship[];
}
export interface OcelTypeDeclaration {
  readonly name: string;
  readonly attributes: Array<{ name: string; type: 'string' | 'time' | 'integer' | 'float' | 'boolean' }>;
}

/** Event attributes (all strings: the published OCEL 2.0 JSON schema types attribute values as strings). */
const eventAttributes = ['sourceSystem', 'actor', 'actorRole', 'stage', 'siteId', 'carrierId', 'lane', 'logType', 'detail'] as const;
const objectAttributes: Record<ObjectType, string[]> = {
  order: ['stage', 'siteId', 'carrierId', 'lane'],
  shipment: ['carrierId', 'trackingNumber'],
  load: ['lane', 'carrierId'],
  invoice: ['amount', 'currency'],
  exception: ['category', 'ownerTeam', 'severity', 'status', 'dueAt'],
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : typeof v === 'number' ? String(v) : undefined);
export const objectId = (type: ObjectType, id: string) => `${type}:${id}`;

/** Objects an entry mentions, with the qualifier of the link. */
function linksOf(e: LogEntry): Array<{ type: ObjectType; id: string; qualifier: string }> {
  const d = e.details ?? {};
  const out: Array<{ type: ObjectType; id: string; qualifier: string }> = [{ type: 'order', id: e.orderId, qualifier: e.type === 'STAGE_CHANGED' ? 'advances' : 'concerns' }];
  const loadId = str(d.loadId);
  if (loadId) out.push({ type: 'load', id: loadId, qualifier: e.type === 'STAGE_CHANGED' ? 'planned' : 'load' });
  const shipmentId = str(d.shipmentId);
  if (shipmentId) out.push({ type: 'shipment', id: shipmentId, qualifier: d.eventType === 'ShipConfirmed' ? 'confirms' : d.eventType === 'ShipmentPacked' ? 'packs' : 'shipment' });
  const invoiceId = str(d.invoiceId);
  if (invoiceId) out.push({ type: 'invoice', id: invoiceId, qualifier: 'releases' });
  const exceptionId = str(d.exceptionId) ?? str(d.approvalId);
  if (exceptionId) {
    const qualifier =
      e.type === 'EXCEPTION_RAISED' ? 'raises' : e.type === 'EXCEPTION_RESOLVED' || e.type === 'APPROVAL_DECIDED' ? 'decides' : e.type === 'APPROVAL_REQUESTED' ? 'escalates' : e.type === 'SLA_BREACHED' ? 'overdue' : 'about';
    out.push({ type: 'exception', id: exceptionId, qualifier });
  }
  return out;
}

const detailOf = (e: LogEntry): string | undefined => {
  if (!e.details) return undefined;
  const { eventType: _t, ...rest } = e.details as Record<string, unknown>;
  return Object.keys(rest).length ? JSON.stringify(rest) : undefined;
};

/** One order's log as OCEL 2.0 events and objects. */
export function ocelOfOrder(orderId: string, entries: readonly LogEntry[]): { events: OcelEvent[]; objects: OcelObject[] } {
  const sorted = [...entries].sort((a, b) => a.at.localeCompare(b.at));
  const objects = new Map<string, OcelObject>();
  const object = (type: ObjectType, id: string) => {
    const key = objectId(type, id);
    let o = objects.get(key);
    if (!o) objects.set(key, (o = { id: key, type, attributes: [], relationships: [] }));
    return o;
  };
  const order = object('order', orderId);
  const last = new Map<string, string>();
  const set = (o: OcelObject, name: string, value: unknown, time: string) => {
    const v = str(value);
    if (v === undefined || last.get(`${o.id}|${name}`) === v) return;
    last.set(`${o.id}|${name}`, v);
    o.attributes.push({ name, value: v, time });
  };
  const relate = (from: OcelObject, to: string, qualifier: string) => {
    if (!from.relationships.some((r) => r.objectId === to && r.qualifier === qualifier)) from.relationships.push({ objectId: to, qualifier });
  };

  const events: OcelEvent[] = [];
  for (const e of sorted) {
    const d = e.details ?? {};
    const time = new Date(Date.parse(e.at)).toISOString();
    const attributes: OcelAttribute[] = [];
    const attr = (name: string, value: unknown) => {
      const v = str(value);
      if (v !== undefined) attributes.push({ name, value: v });
    };
    attr('sourceSystem', e.sourceSystem);
    attr('actor', e.actor?.id);
    attr('actorRole', e.actor?.role);
    attr('stage', e.stage);
    attr('siteId', e.siteId);
    attr('carrierId', e.carrierId);
    attr('lane', e.lane);
    attr('logType', e.type);
    attr('detail', detailOf(e));
    const links = linksOf(e);
    events.push({ id: `${orderId}:${e.eventId}`, type: activityOf(e), time, attributes, relationships: links.map((l) => ({ objectId: objectId(l.type, l.id), qualifier: l.qualifier })) });

    // Object attributes over time, and object-to-object relationships.
    if (e.type === 'STAGE_CHANGED') set(order, 'stage', e.stage, time);
    set(order, 'siteId', e.siteId, time);
    set(order, 'carrierId', e.carrierId, time);
    set(order, 'lane', e.lane, time);
    for (const l of links) {
      if (l.type === 'order') continue;
      const o = object(l.type, l.id);
      relate(order, o.id, l.type === 'load' ? 'planned as' : l.type === 'shipment' ? 'shipped as' : l.type === 'invoice' ? 'billed by' : 'has exception');
      if (l.type === 'load') {
        set(o, 'lane', e.lane ?? d.lane, time);
        set(o, 'carrierId', d.carrierId ?? e.carrierId, time);
      } else if (l.type === 'shipment') {
        set(o, 'carrierId', d.carrierId ?? e.carrierId, time);
        set(o, 'trackingNumber', d.trackingNumber, time);
      } else if (l.type === 'invoice') {
        const amount = d.amount as { amount?: number; currency?: string } | undefined;
        set(o, 'amount', amount?.amount, time);
        set(o, 'currency', amount?.currency, time);
      } else if (l.type === 'exception') {
        set(o, 'category', d.category, time);
        set(o, 'ownerTeam', d.ownerTeam, time);
        set(o, 'severity', d.severity, time);
        set(o, 'dueAt', d.dueAt, time);
        set(o, 'status', e.type === 'EXCEPTION_RAISED' ? 'OPEN' : e.type === 'EXCEPTION_RESOLVED' || e.type === 'APPROVAL_DECIDED' ? 'RESOLVED' : undefined, time);
      }
    }
  }
  const load = [...objects.values()].find((o) => o.type === 'load');
  for (const o of objects.values()) if (o.type === 'shipment' && load) relate(o, load.id, 'carried on');
  return { events, objects: [...objects.values()] };
}

/**
 * Streams OCEL 2.0 JSON: events and objects go to two sinks as they are produced (a file each, or
 * memory), and the type declarations, known at the end, are written around them by `finish`.
 */
export class OcelWriter {
  private readonly eventTypes = new Set<string>();
  private firstEvent = true;
  private firstObject = true;
  events = 0;
  objects = 0;

  constructor(private readonly sink: { event(chunk: string): void; object(chunk: string): void }) {}

  add(orderId: string, entries: readonly LogEntry[]): void {
    const { events, objects } = ocelOfOrder(orderId, entries);
    for (const e of events) {
      this.eventTypes.add(e.type);
      this.sink.event((this.firstEvent ? '' : ',\n') + JSON.stringify(e));
      this.firstEvent = false;
      this.events++;
    }
    for (const o of objects) {
      this.sink.object((this.firstObject ? '' : ',\n') + JSON.stringify(o));
      this.firstObject = false;
      this.objects++;
    }
  }

  /** The type declarations: `{"eventTypes":[...],"objectTypes":[...],` to prefix the arrays with. */
  head(): string {
    const eventTypes: OcelTypeDeclaration[] = [...this.eventTypes].sort().map((name) => ({ name, attributes: eventAttributes.map((a) => ({ name: a, type: 'string' as const })) }));
    const types: OcelTypeDeclaration[] = objectTypes.map((name) => ({ name, attributes: objectAttributes[name].map((a) => ({ name: a, type: 'string' as const })) }));
    return `{"eventTypes":${JSON.stringify(eventTypes)},\n"objectTypes":${JSON.stringify(types)},\n`;
  }
}

/** The whole OCEL 2.0 document in memory (tests, small logs). */
export function toOcelJson(logs: Iterable<{ orderId: string; entries: readonly LogEntry[] }>): string {
  const events: string[] = [];
  const objects: string[] = [];
  const w = new OcelWriter({ event: (c) => events.push(c), object: (c) => objects.push(c) });
  for (const l of logs) w.add(l.orderId, l.entries);
  return `${w.head()}"events":[\n${events.join('')}\n],\n"objects":[\n${objects.join('')}\n]}\n`;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xstr = (key: string, value: unknown) => (str(value) === undefined ? '' : `<string key="${key}" value="${xml(str(value)!)}"/>`);

/** XES (IEEE 1849-2016) with the order as the case notion, streamed one trace at a time. */
export class XesWriter {
  traces = 0;
  events = 0;
  constructor(private readonly write: (chunk: string) => void) {
    write(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<log xes.version="1849-2016" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">\n' +
        '  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>\n' +
        '  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>\n' +
        '  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>\n' +
        '  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>\n' +
        '  <global scope="trace"><string key="concept:name" value="order"/></global>\n' +
        '  <global scope="event"><string key="concept:name" value="activity"/><date key="time:timestamp" value="1970-01-01T00:00:00.000Z"/><string key="lifecycle:transition" value="complete"/></global>\n' +
        '  <classifier name="Activity" keys="concept:name"/>\n' +
        '  <string key="concept:name" value="order-to-ship workflow event log"/>\n',
    );
  }

  add(orderId: string, entries: readonly LogEntry[]): void {
    const sorted = [...entries].sort((a, b) => a.at.localeCompare(b.at));
    const parts = [`  <trace>\n    <string key="concept:name" value="${xml(orderId)}"/>\n`];
    for (const e of sorted) {
      parts.push(
        `    <event><string key="concept:name" value="${xml(activityOf(e))}"/><date key="time:timestamp" value="${new Date(Date.parse(e.at)).toISOString()}"/>` +
          `<string key="lifecycle:transition" value="complete"/>${xstr('org:resource', e.actor?.id)}${xstr('org:role', e.actor?.role)}` +
          `${xstr('logType', e.type)}${xstr('sourceSystem', e.sourceSystem)}${xstr('stage', e.stage)}${xstr('carrierId', e.carrierId)}${xstr('siteId', e.siteId)}</event>\n`,
      );
      this.events++;
    }
    parts.push('  </trace>\n');
    this.write(parts.join(''));
    this.traces++;
  }

  end(): void {
    this.write('</log>\n');
  }
}
