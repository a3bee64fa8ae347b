import { QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LogEntry } from '../ports';
import type { LogSource, OrderLog } from './log-source';

/**
 * Reads the workflow event log from the workflow table (`PK=ORDER#<id>`, `SK=EVT#<at>#<eventId>`).
 * The metrics themselves import nothing from AWS; this adapter is the only file here that does, and
 * it takes its client from the caller (the report CLI points it at the local runtime or at AWS).
 *
 * - `scan` (default): one paged Scan of `EVT#` items. DynamoDB (and dynalite) return an item
 *   collection contiguously, so an order is complete when the next key begins; if an order's key
 *   comes back after another one, the read stops with an error rather than count it twice.
 * - `query`: a Scan of the `STATE` items for the order ids, then one Query per order. More requests,
 *   but no assumption about scan order; use it on a table that also holds other item types in bulk.
 */
export interface DynamoDbLogSourceOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly mode?: 'scan' | 'query';
  /** Items per page. @default 1000 */
  readonly pageSize?: number;
}

type Item = Record<string, unknown>;

const toEntry = ({ PK: _pk, SK: _sk, ...rest }: Item): LogEntry => rest as unknown as LogEntry;
const orderIdOf = (pk: string) => pk.slice('ORDER#'.length);

export class DynamoDbLogSource implements LogSource {
  constructor(private readonly options: DynamoDbLogSourceOptions) {}

  orders(): AsyncIterable<OrderLog> {
    return this.options.mode === 'query' ? this.byQuery() : this.byScan();
  }

  private async *pages(input: Record<string, unknown>, command: 'scan' | 'query'): AsyncIterable<Item[]> {
    let ExclusiveStartKey: Item | undefined;
    do {
      const params = { TableName: this.options.tableName, Limit: this.options.pageSize ?? 1000, ...input, ExclusiveStartKey };
      const out = await this.options.client.send(command === 'scan' ? new ScanCommand(params as never) : new QueryCommand(params as never));
      yield (out.Items ?? []) as Item[];
      ExclusiveStartKey = out.LastEvaluatedKey as Item | undefined;
    } while (ExclusiveStartKey);
  }

  private async *byScan(): AsyncIterable<OrderLog> {
    const done = new Set<string>();
    let current: string | undefined;
    let entries: LogEntry[] = [];
    const pages = this.pages(
      {
        FilterExpression: 'begins_with(PK, :order) AND begins_with(SK, :evt)',
        ExpressionAttributeValues: { ':order': 'ORDER#', ':evt': 'EVT#' },
      },
      'scan',
    );
    for await (const items of pages) {
      for (const item of items) {
        const pk = item.PK as string;
        if (pk !== current) {
          if (current !== undefined) {
            done.add(current);
            yield { orderId: orderIdOf(current), entries };
          }
          if (done.has(pk)) throw new Error(`scan returned ${pk} after other orders: read with mode 'query' instead`);
          current = pk;
          entries = [];
        }
        entries.push(toEntry(item));
      }
    }
    if (current !== undefined) yield { orderId: orderIdOf(current), entries };
  }

  private async *byQuery(): AsyncIterable<OrderLog> {
    const states = this.pages(
      { FilterExpression: 'begins_with(PK, :order) AND SK = :state', ExpressionAttributeValues: { ':order': 'ORDER#', ':state': 'STATE' }, ProjectionExpression: 'PK' },
      'scan',
    );
    for await (const items of states) {
      for (const { PK } of items) {
        const entries: LogEntry[] = [];
        for await (const page of this.pages({ KeyConditionExpression: 'PK = :pk AND begins_with(SK, :evt)', ExpressionAttributeValues: { ':pk': PK, ':evt': 'EVT#' } }, 'query')) {
          for (const item of page) entries.push(toEntry(item));
        }
        if (entries.length > 0) yield { orderId: orderIdOf(PK as string), entries };
      }
    }
  }
}
