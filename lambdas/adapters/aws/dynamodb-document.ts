import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand as QueryItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/*
 * The document calls the workflow store makes (plain JavaScript values in and out), sent as the
 * low-level DynamoDB commands with the values marshalled here. The SDK's DynamoDBDocumentClient does
 * the same marshalling, but each of its commands wraps a low-level command and resolves the
 * middleware stack twice (its own on top of the wrapped command's): about 0.1 – 0.2 ms of CPU more
 * per request, measured against dynalite, on every DynamoDB call a task makes. The commands below
 * take and return the DocumentClient's shapes, so the store reads the same either way.
 */

type Doc = Record<string, unknown>;
type Wire = Record<string, AttributeValue>;

const toWire = (doc: Doc): Wire => marshall(doc, { removeUndefinedValues: true });
const fromWire = (wire: Wire): Doc => unmarshall(wire);
const toWireOpt = (doc: Doc | undefined): Wire | undefined => (doc ? toWire(doc) : undefined);
const fromWireOpt = (wire: Wire | undefined): Doc | undefined => (wire ? fromWire(wire) : undefined);

// The legacy parameters (Expected, AttributeUpdates, KeyConditions, QueryFilter) are left out: the
// store writes expressions only.
export class PutCommand {
  constructor(readonly input: Omit<PutCommandInput, 'Expected'>) {}
}
export class GetCommand {
  constructor(readonly input: GetCommandInput) {}
}
export class UpdateCommand {
  constructor(readonly input: Omit<UpdateCommandInput, 'Expected' | 'AttributeUpdates'>) {}
}
export class DeleteCommand {
  constructor(readonly input: Omit<DeleteCommandInput, 'Expected'>) {}
}
export type QueryInput = Omit<QueryCommandInput, 'KeyConditions' | 'QueryFilter'>;
export class QueryCommand {
  constructor(readonly input: QueryInput) {}
}
export class BatchGetCommand {
  constructor(readonly input: BatchGetCommandInput) {}
}
export class BatchWriteCommand {
  constructor(readonly input: BatchWriteCommandInput) {}
}

/** Applies `f` to each table's entry of a request or response keyed by table name. */
function perTable<A, B>(byTable: Record<string, A>, f: (a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(byTable).map(([table, a]) => [table, f(a)]));
}

/** A batch write request with its item or key converted by `f` (to the wire, or back for unprocessed ones). */
function convertWrite<A, B>(r: { PutRequest?: { Item?: A }; DeleteRequest?: { Key?: A } }, f: (a: A) => B) {
  return {
    ...(r.PutRequest?.Item ? { PutRequest: { Item: f(r.PutRequest.Item) } } : {}),
    ...(r.DeleteRequest?.Key ? { DeleteRequest: { Key: f(r.DeleteRequest.Key) } } : {}),
  };
}

/** Sends the document commands above through a low-level DynamoDB client. */
export class DocumentCalls {
  constructor(private readonly client: DynamoDBClient) {}

  send(command: PutCommand): Promise<PutCommandOutput>;
  send(command: GetCommand): Promise<GetCommandOutput>;
  send(command: UpdateCommand): Promise<UpdateCommandOutput>;
  send(command: DeleteCommand): Promise<DeleteCommandOutput>;
  send(command: QueryCommand): Promise<QueryCommandOutput>;
  send(command: BatchGetCommand): Promise<BatchGetCommandOutput>;
  send(command: BatchWriteCommand): Promise<BatchWriteCommandOutput>;
  async send(command: PutCommand | GetCommand | UpdateCommand | DeleteCommand | QueryCommand | BatchGetCommand | BatchWriteCommand): Promise<unknown> {
    if (command instanceof GetCommand) {
      const { Key, ...rest } = command.input;
      const out = await this.client.send(new GetItemCommand({ ...rest, Key: toWire(Key as Doc) }));
      return { ...out, Item: fromWireOpt(out.Item) };
    }
    if (command instanceof PutCommand) {
      const { Item, ExpressionAttributeValues, ...rest } = command.input;
      const out = await this.client.send(new PutItemCommand({ ...rest, Item: toWire(Item as Doc), ExpressionAttributeValues: toWireOpt(ExpressionAttributeValues) }));
      return { ...out, Attributes: fromWireOpt(out.Attributes) };
    }
    if (command instanceof UpdateCommand) {
      const { Key, ExpressionAttributeValues, ...rest } = command.input;
      const out = await this.client.send(new UpdateItemCommand({ ...rest, Key: toWire(Key as Doc), ExpressionAttributeValues: toWireOpt(ExpressionAttributeValues) }));
      return { ...out, Attributes: fromWireOpt(out.Attributes) };
    }
    if (command instanceof DeleteCommand) {
      const { Key, ExpressionAttributeValues, ...rest } = command.input;
      const out = await this.client.send(new DeleteItemCommand({ ...rest, Key: toWire(Key as Doc), ExpressionAttributeValues: toWireOpt(ExpressionAttributeValues) }));
      return { ...out, Attributes: fromWireOpt(out.Attributes) };
    }
    if (command instanceof QueryCommand) {
      const { ExpressionAttributeValues, ExclusiveStartKey, ...rest } = command.input;
      const out = await this.client.send(new QueryItemsCommand({ ...rest, ExpressionAttributeValues: toWireOpt(ExpressionAttributeValues), ExclusiveStartKey: toWireOpt(ExclusiveStartKey) }));
      return { ...out, Items: out.Items?.map(fromWire), LastEvaluatedKey: fromWireOpt(out.LastEvaluatedKey) };
    }
    if (command instanceof BatchGetCommand) {
      const RequestItems = perTable(command.input.RequestItems ?? {}, ({ Keys, ...rest }) => ({ ...rest, Keys: (Keys ?? []).map((k) => toWire(k as Doc)) }));
      const out = await this.client.send(new BatchGetItemCommand({ ...command.input, RequestItems }));
      return {
        ...out,
        Responses: out.Responses && perTable(out.Responses, (items) => items.map(fromWire)),
        UnprocessedKeys: out.UnprocessedKeys && perTable(out.UnprocessedKeys, ({ Keys, ...rest }) => ({ ...rest, Keys: Keys?.map(fromWire) })),
      };
    }
    const RequestItems = perTable(command.input.RequestItems ?? {}, (list) => list.map((r) => convertWrite(r as { PutRequest?: { Item?: Doc }; DeleteRequest?: { Key?: Doc } }, toWire)));
    const out = await this.client.send(new BatchWriteItemCommand({ ...command.input, RequestItems }));
    return { ...out, UnprocessedItems: out.UnprocessedItems && perTable(out.UnprocessedItems, (list) => list.map((r) => convertWrite(r, fromWire))) };
  }
}
