import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DeleteCommand, DocumentCalls, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryInput } from './dynamodb-document';
import { ConcurrentUpdate } from '../../domain/errors';
import type { Actor, OrderLine, OrderState, OrderSummary, OwnerTeam } from '../../domain/order';
import type { LaneStats } from '../../decisions/types';
import type { BreakerState } from '../../domain/circuit-breaker';
import { effectId, type BreakerRecord, type EffectKey, type EffectsRead, type ExceptionRecord, type IncidentRecord, type LaneStatsDelta, type LogEntry, type MailboxItem, type OrderRef, type QuarantinedEvent, type Wait, type WorkflowStore } from '../../ports/store';
import { sdkClientOptions } from './sdk-options';

/** Lines per item of the claim-checked order lines: keeps each item far below DynamoDB's 400 KB. */
const linesPerItem = 200;
const day = 24 * 3600;

const keys = {
  order: (orderId: string) => `ORDER#${orderId}`,
  wait: (key: string) => `WAIT#${key}`,
  exception: (id: string) => `EXC#${id}`,
  dedup: (eventId: string) => `DEDUP#${eventId}`,
  lane: (lane: string) => `LANE#${lane}`,
  incident: (id: string) => `INCIDENT#${id}`,
  /** A side effect's ledger record, under its order. */
  effect: (kind: string, key: string) => `FX#${effectId(kind, key)}`,
};

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

function epochSeconds(iso: string, plusSeconds = 0): number {
  return Math.floor(Date.parse(iso) / 1000) + plusSeconds;
}

type Item = Record<string, unknown>;

function toState(item: Item): OrderState {
  const { PK: _pk, SK: _sk, GSI2PK: _g, GSI2SK: _s, mailboxMarkers: _m, ...state } = item;
  return state as unknown as OrderState;
}

/** A wait item holds a wait while it has a token; without one it only remembers that events were kept for its key. */
function toWait(item: Item | undefined): Wait | undefined {
  if (!item?.taskToken) return undefined;
  const { PK: _p, SK: _s, due, hasMail: _h, ...rest } = item;
  return { ...(rest as unknown as Wait), expiresAt: due as string };
}

function toBreaker(item: Item): BreakerRecord {
  return { system: String(item.system), partnerId: String(item.partnerId), state: item.state as BreakerState, version: Number(item.version) };
}

/** The workflow store on DynamoDB (one table; no transactions, so it also runs on dynalite). */
export class DynamoDbWorkflowStore implements WorkflowStore {
  private readonly db: DocumentCalls;

  constructor(
    private readonly tableName: string,
    client: DynamoDBClient = new DynamoDBClient(sdkClientOptions),
  ) {
    this.db = new DocumentCalls(client);
  }

  async createOrder(summary: OrderSummary, lines: readonly OrderLine[], at: string, executionArn?: string) {
    // Lines first: a crash between the two writes leaves lines without state, which a retry overwrites.
    const chunks: Item[] = [];
    for (let i = 0; i < lines.length; i += linesPerItem) {
      chunks.push({ PK: keys.order(summary.orderId), SK: `LINES#${String(i / linesPerItem).padStart(4, '0')}`, lines: lines.slice(i, i + linesPerItem) });
    }
    for (let i = 0; i < chunks.length; i += 25) {
      let request: Record<string, { PutRequest: { Item: Item } }[]> | undefined = {
        [this.tableName]: chunks.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      while (request && Object.keys(request).length > 0) {
        const out = await this.db.send(new BatchWriteCommand({ RequestItems: request }));
        request = out.UnprocessedItems as typeof request;
      }
    }
    const state: OrderState = { summary, stage: 'RELEASED', status: 'RUNNING', version: 1, updatedAt: at, executionArn };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          // mailboxMarkers: every event kept for one of this order's waits marks the wait's key (see registerWait).
          Item: { PK: keys.order(summary.orderId), SK: 'STATE', ...state, ...this.statusIndex(state), mailboxMarkers: true },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return { created: true, state };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const existing = await this.getOrder(summary.orderId);
      if (!existing) throw error;
      return { created: false, state: existing };
    }
  }

  async getOrder(orderId: string): Promise<OrderState | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: keys.order(orderId), SK: 'STATE' }, ConsistentRead: true }));
    return out.Item ? toState(out.Item) : undefined;
  }

  async getOrderWithEffects(orderId: string, effects: readonly EffectKey[], options: { wait?: string } = {}): Promise<{ state?: OrderState; effects: EffectsRead; wait?: Wait | null }> {
    if (effects.length === 0 && options.wait === undefined) return { state: await this.getOrder(orderId), effects: {} };
    const Keys = [
      { PK: keys.order(orderId), SK: 'STATE' },
      ...effects.map((e) => ({ PK: keys.order(orderId), SK: keys.effect(e.kind, e.key) })),
      ...(options.wait === undefined ? [] : [{ PK: keys.wait(options.wait), SK: 'WAIT' }]),
    ];
    const items: Item[] = [];
    let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = { [this.tableName]: { Keys, ConsistentRead: true } };
    while (request && Object.keys(request).length > 0) {
      const out = await this.db.send(new BatchGetCommand({ RequestItems: request }));
      items.push(...(out.Responses?.[this.tableName] ?? []));
      request = out.UnprocessedKeys as typeof request;
    }
    const bySk = new Map(items.map((i) => [String(i.SK), i]));
    const stateItem = bySk.get('STATE');
    const read: Record<string, EffectsRead[string]> = {};
    for (const e of effects) {
      const item = bySk.get(keys.effect(e.kind, e.key));
      read[effectId(e.kind, e.key)] = item ? { status: String(item.status), result: item.result, attempts: item.attempts as number | undefined } : null;
    }
    const waitItem = bySk.get('WAIT');
    return { state: stateItem ? toState(stateItem) : undefined, effects: read, ...(options.wait === undefined ? {} : { wait: toWait(waitItem) ?? null }) };
  }

  async getLines(orderId: string): Promise<OrderLine[]> {
    const items = await this.queryAll({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :lines)', ExpressionAttributeValues: { ':pk': keys.order(orderId), ':lines': 'LINES#' } });
    return items.flatMap((i) => i.lines as OrderLine[]);
  }

  async getOrderWithLines(orderId: string): Promise<{ state?: OrderState; lines: OrderLine[] }> {
    // The lines' items (`LINES#nnnn`) sort just before the state's (`STATE`): one range, one request.
    const items = await this.queryAll({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :lines AND :state',
      ExpressionAttributeValues: { ':pk': keys.order(orderId), ':lines': 'LINES#', ':state': 'STATE' },
      ConsistentRead: true,
    });
    const stateItem = items.find((i) => i.SK === 'STATE');
    const lines = items.filter((i) => String(i.SK).startsWith('LINES#')).flatMap((i) => i.lines as OrderLine[]);
    return { state: stateItem ? toState(stateItem) : undefined, lines };
  }

  async updateOrder(orderId: string, expectedVersion: number, patch: Partial<Omit<OrderState, 'version'>>): Promise<OrderState> {
    // One conditional UpdateItem, no read: the version check is the optimistic lock.
    const names: Record<string, string> = { '#v': 'version' };
    const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1 };
    const sets = ['#v = #v + :one'];
    const set = (attribute: string, value: unknown) => {
      const i = sets.length;
      names[`#a${i}`] = attribute;
      values[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
    };
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) set(key, value);
    // The status index follows status and update time (the reconciler reads it).
    if (patch.status !== undefined) set('GSI2PK', `STATUS#${patch.status}`);
    if (patch.updatedAt !== undefined) set('GSI2SK', `${patch.updatedAt}#${orderId}`);
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.order(orderId), SK: 'STATE' },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#v = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toState(out.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) throw new ConcurrentUpdate(`order ${orderId} changed while it was being updated (expected version ${expectedVersion})`, { cause: error });
      throw error;
    }
  }

  async append(entry: LogEntry): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: keys.order(entry.orderId), SK: `EVT#${entry.at}#${entry.eventId}`, ...entry },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async history(orderId: string): Promise<LogEntry[]> {
    const items = await this.queryAll({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :evt)', ExpressionAttributeValues: { ':pk': keys.order(orderId), ':evt': 'EVT#' } });
    return items.map(({ PK: _p, SK: _s, ...entry }) => entry as unknown as LogEntry);
  }

  async registerWait(wait: Wait): Promise<{ order: OrderState | undefined; mayHaveMail: boolean }> {
    // An update, not a put: a mark left by an event kept for this key (hasMail) stays on the item,
    // and the item as it was tells whether there is one.
    const fields: Record<string, unknown> = { ...wait, due: wait.expiresAt, expiresAt: epochSeconds(wait.expiresAt, day) };
    const names = Object.fromEntries(Object.keys(fields).map((k, i) => [`#f${i}`, k]));
    const values = Object.fromEntries(Object.values(fields).map((v, i) => [`:f${i}`, v]));
    const before = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.wait(wait.key), SK: 'WAIT' },
        UpdateExpression: `SET ${Object.keys(names).map((n, i) => `${n} = :f${i}`).join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_OLD',
      }),
    );
    const marked = before.Attributes?.hasMail === true;
    if (marked && Number(before.Attributes?.expiresAt) > Number(fields.expiresAt)) {
      // The kept events outlive this wait: so does the mark.
      await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: { PK: keys.wait(wait.key), SK: 'WAIT' }, UpdateExpression: 'SET expiresAt = :e', ExpressionAttributeValues: { ':e': before.Attributes?.expiresAt } }));
    }
    // The pointer lives on the order's state, outside its version (no other writer sets it), and the
    // write returns the state: one request tells the registrar whether a cancellation came first.
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.order(wait.orderId), SK: 'STATE' },
          UpdateExpression: 'SET activeWaitKey = :k',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeValues: { ':k': wait.key },
          ReturnValues: 'ALL_NEW',
        }),
      );
      // An order created before the marks existed may have events kept unmarked: its mailbox is always read.
      return { order: toState(out.Attributes ?? {}), mayHaveMail: marked || out.Attributes?.mailboxMarkers !== true };
    } catch (error) {
      if (isConditionFailure(error)) return { order: undefined, mayHaveMail: true };
      throw error;
    }
  }

  async getActiveWait(orderId: string): Promise<Wait | undefined> {
    const state = await this.getOrder(orderId);
    // Waits registered before 2026-11-23 kept the pointer in an item of its own (`ACTIVE_WAIT`).
    const key = state?.activeWaitKey ?? (state ? await this.legacyActiveWaitKey(orderId) : undefined);
    return key ? this.getWait(key) : undefined;
  }

  private async legacyActiveWaitKey(orderId: string): Promise<string | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: keys.order(orderId), SK: 'ACTIVE_WAIT' }, ConsistentRead: true }));
    return out.Item?.key as string | undefined;
  }

  async getWait(key: string): Promise<Wait | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: keys.wait(key), SK: 'WAIT' }, ConsistentRead: true }));
    return toWait(out.Item);
  }

  async claimWait(key: string, taskToken: string): Promise<boolean> {
    const Key = { PK: keys.wait(key), SK: 'WAIT' };
    try {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key, ConditionExpression: 'taskToken = :t AND attribute_not_exists(hasMail)', ExpressionAttributeValues: { ':t': taskToken } }));
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // Another caller claimed it, or events were kept for the key: the wait goes, the mark stays.
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'REMOVE taskToken, orderId, kind, registeredAt, due',
          ConditionExpression: 'taskToken = :t',
          ExpressionAttributeValues: { ':t': taskToken },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putMailbox(item: MailboxItem): Promise<void> {
    const expiresAt = epochSeconds(item.receivedAt, 30 * day);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: keys.wait(item.key), SK: `MAIL#${item.receivedAt}#${item.eventId}`, ...item, expiresAt },
      }),
    );
    // Marks the key before the caller looks for its wait again: a wait registered after this mark
    // finds it and reads the mailbox; one registered before it is found by the caller.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.wait(item.key), SK: 'WAIT' },
        UpdateExpression: 'SET hasMail = :t, expiresAt = :e',
        ExpressionAttributeValues: { ':t': true, ':e': expiresAt },
      }),
    );
  }

  async takeMailbox(key: string): Promise<MailboxItem[]> {
    const items = await this.queryAll({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :m)', ExpressionAttributeValues: { ':pk': keys.wait(key), ':m': 'MAIL#' } });
    const taken: MailboxItem[] = [];
    for (const item of items) {
      try {
        await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: item.PK, SK: item.SK }, ConditionExpression: 'attribute_exists(PK)' }));
        const { PK: _p, SK: _s, expiresAt: _e, ...rest } = item;
        taken.push(rest as unknown as MailboxItem);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    return taken;
  }

  async markProcessed(eventId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: keys.dedup(eventId), SK: 'DEDUP', at, expiresAt: epochSeconds(at, 30 * day) },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async forgetProcessed(eventId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { PK: keys.dedup(eventId), SK: 'DEDUP' } }));
  }

  async once<T>(orderId: string, kind: string, key: string, at: string, effect: () => Promise<T>, known?: EffectsRead): Promise<{ result: T; firstTime: boolean }> {
    const Key = { PK: keys.order(orderId), SK: keys.effect(kind, key) };
    const id = effectId(kind, key);
    const existing = known && id in known ? { Item: known[id] ?? undefined } : await this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    if (existing.Item?.status === 'DONE') return { result: existing.Item.result as T, firstTime: false };
    const result = await effect();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...Key, orderId, kind, key, at, status: 'DONE', result: result ?? null, attempts: ((existing.Item?.attempts as number) ?? 0) + 1 },
          ConditionExpression: 'attribute_not_exists(PK) OR #s <> :done',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':done': 'DONE' },
        }),
      );
      return { result, firstTime: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // A concurrent attempt finished first: its result is the one on record.
      const winner = await this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
      return { result: winner.Item?.result as T, firstTime: false };
    }
  }

  async putException(record: ExceptionRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: keys.exception(record.exceptionId), SK: 'EXC', ...record, ...this.ownerIndex(record) },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async getException(exceptionId: string): Promise<ExceptionRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: keys.exception(exceptionId), SK: 'EXC' }, ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { PK: _p, SK: _s, GSI1PK: _g, GSI1SK: _k, ...record } = out.Item;
    return record as unknown as ExceptionRecord;
  }

  async resolveException(exceptionId: string, resolution: string, by: Actor, at: string): Promise<ExceptionRecord | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: keys.exception(exceptionId), SK: 'EXC' },
          UpdateExpression: 'SET #s = :resolved, resolution = :r, resolvedAt = :at, resolvedBy = :by REMOVE GSI1PK, GSI1SK',
          ConditionExpression: '#s = :open',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':resolved': 'RESOLVED', ':open': 'OPEN', ':r': resolution, ':at': at, ':by': by },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const { PK: _p, SK: _s, ...record } = out.Attributes ?? {};
      return record as unknown as ExceptionRecord;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  async openExceptions(ownerTeam?: OwnerTeam): Promise<ExceptionRecord[]> {
    const teams: OwnerTeam[] = ownerTeam
      ? [ownerTeam]
      : ['procurement', 'customer-service', 'transport-planning', 'warehouse-operations', 'integration-support', 'finance'];
    const all: ExceptionRecord[] = [];
    for (const team of teams) {
      const items = await this.queryAll({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :o', ExpressionAttributeValues: { ':o': `OWNER#${team}` } });
      all.push(...items.map(({ PK: _p, SK: _s, GSI1PK: _g, GSI1SK: _k, ...r }) => r as unknown as ExceptionRecord));
    }
    return all;
  }

  async addLaneStats(lane: string, carrierId: string, delta: LaneStatsDelta, fact: { orderId: string; factKey: string; at: string }): Promise<boolean> {
    const { at } = fact;
    try {
      // The marker makes the count exactly-once without a transaction (a crash between the two writes undercounts one fact).
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: keys.order(fact.orderId), SK: `LANESTAT#${fact.factKey}`, lane, carrierId, at },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    const counters = (['tenders', 'accepted', 'shipments', 'late'] as const).filter((k) => delta[k]);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':at': at, ':c': carrierId };
    for (const k of counters) {
      names[`#${k}`] = k;
      values[`:${k}`] = delta[k];
    }
    const set = ['carrierId = :c', 'updatedAt = :at'];
    if (delta.lastLate !== undefined) {
      set.push('lastLate = :lastLate');
      values[':lastLate'] = delta.lastLate;
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.lane(lane), SK: `CARRIER#${carrierId}` },
        UpdateExpression: `SET ${set.join(', ')}${counters.length ? ` ADD ${counters.map((k) => `#${k} :${k}`).join(', ')}` : ''}`,
        ...(counters.length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  }

  async laneStats(lane: string): Promise<Record<string, LaneStats>> {
    const items = await this.queryAll({ KeyConditionExpression: 'PK = :l', ExpressionAttributeValues: { ':l': keys.lane(lane) } });
    return Object.fromEntries(
      items.map((i) => [
        String(i.carrierId),
        { tenders: Number(i.tenders ?? 0), accepted: Number(i.accepted ?? 0), shipments: Number(i.shipments ?? 0), late: Number(i.late ?? 0), ...(i.lastLate === undefined ? {} : { lastLate: Boolean(i.lastLate) }) },
      ]),
    );
  }

  async putIncident(incident: IncidentRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { PK: keys.incident(incident.incidentId), SK: 'INCIDENT', ...incident }, ConditionExpression: 'attribute_not_exists(PK)' }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    const [first] = incident.exceptionIds;
    if (first) await this.markAttached(incident.incidentId, first, incident.firstAt);
    return true;
  }

  async attachToIncident(incidentId: string, exceptionId: string, at: string): Promise<IncidentRecord | undefined> {
    // One membership item per exception (conditional on absence) makes a repeat a no-op without a transaction.
    if (!(await this.markAttached(incidentId, exceptionId, at))) return undefined;
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: keys.incident(incidentId), SK: 'INCIDENT' },
        UpdateExpression: 'ADD #count :one SET lastAt = :at, exceptionIds = list_append(exceptionIds, :ids)',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':at': at, ':ids': [exceptionId] },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const { PK: _p, SK: _s, ...record } = out.Attributes ?? {};
    return record as unknown as IncidentRecord;
  }

  async getIncident(incidentId: string): Promise<IncidentRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: keys.incident(incidentId), SK: 'INCIDENT' }, ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { PK: _p, SK: _s, ...record } = out.Item;
    return record as unknown as IncidentRecord;
  }

  private async markAttached(incidentId: string, exceptionId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { PK: keys.incident(incidentId), SK: `EXC#${exceptionId}`, at }, ConditionExpression: 'attribute_not_exists(PK)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async quarantine(event: Omit<QuarantinedEvent, 'status'>): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { PK: 'QUARANTINE', SK: `${event.receivedAt}#${event.id}`, ...event, status: 'QUARANTINED' } }),
    );
  }

  async ordersLastUpdatedBetween(status: OrderState['status'], from: string, to: string, limit: number): Promise<OrderState[]> {
    return (await this.byStatusAndUpdate(status, from, to, limit)).map(toState);
  }

  async orderRefsLastUpdatedBetween(status: OrderState['status'], from: string, to: string, limit: number): Promise<OrderRef[]> {
    const items = await this.byStatusAndUpdate(status, from, to, limit, { ProjectionExpression: '#pk, GSI2SK, executionArn', ExpressionAttributeNames: { '#pk': 'PK' } });
    return items.map((i) => ({ orderId: String(i.PK).slice('ORDER#'.length), ...(i.executionArn ? { executionArn: String(i.executionArn) } : {}) }));
  }

  /** GSI2 items of one status updated in [from, to), oldest first, at most `limit`. */
  private async byStatusAndUpdate(status: OrderState['status'], from: string, to: string, limit: number, projection: Partial<QueryInput> = {}): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'GSI2',
          // GSI2SK is `<updatedAt>#<orderId>`: ISO times sort as strings.
          KeyConditionExpression: 'GSI2PK = :s AND GSI2SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':s': `STATUS#${status}`, ':from': from, ':to': to },
          Limit: limit - items.length,
          ExclusiveStartKey,
          ...projection,
        }),
      );
      for (const item of out.Items ?? []) if (String(item.GSI2SK) < to) items.push(item);
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length < limit);
    return items;
  }

  async getBreaker(system: string, partnerId: string): Promise<BreakerRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { PK: `BREAKER#${system}#${partnerId}`, SK: 'BREAKER' }, ConsistentRead: true }));
    return out.Item ? toBreaker(out.Item) : undefined;
  }

  async saveBreaker(system: string, partnerId: string, state: BreakerState, expectedVersion: number): Promise<boolean> {
    // Optimistic locking on the version: two callers that read the same state cannot both write, so
    // no failure is lost to a read-modify-write race (the loser reads again and re-applies).
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: `BREAKER#${system}#${partnerId}`, SK: 'BREAKER', GSI1PK: 'BREAKERS', GSI1SK: `${system}#${partnerId}`, system, partnerId, state, version: expectedVersion + 1 },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(PK)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async listBreakers(): Promise<BreakerRecord[]> {
    const items = await this.queryAll({ IndexName: 'GSI1', KeyConditionExpression: 'GSI1PK = :b', ExpressionAttributeValues: { ':b': 'BREAKERS' } });
    return items.map(toBreaker);
  }

  async listQuarantine(): Promise<QuarantinedEvent[]> {
    const items = await this.queryAll({ KeyConditionExpression: 'PK = :q', ExpressionAttributeValues: { ':q': 'QUARANTINE' } });
    return items.map(({ PK: _p, SK: _s, ...q }) => q as unknown as QuarantinedEvent);
  }

  async markRedriven(id: string, receivedAt: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: 'QUARANTINE', SK: `${receivedAt}#${id}` },
        UpdateExpression: 'SET #s = :r',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':r': 'REDRIVEN' },
      }),
    );
  }

  private statusIndex(state: OrderState) {
    return { GSI2PK: `STATUS#${state.status}`, GSI2SK: `${state.updatedAt}#${state.summary.orderId}` };
  }

  private ownerIndex(record: ExceptionRecord) {
    return record.status === 'OPEN' ? { GSI1PK: `OWNER#${record.ownerTeam}`, GSI1SK: `${record.dueAt}#${record.exceptionId}` } : {};
  }

  private async queryAll(input: Omit<QueryInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey }));
      items.push(...((out.Items ?? []) as Item[]));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}

