/**
 * The store's document calls (plain values in and out, sent as low-level commands) against a real
 * DynamoDB server: each returns what the SDK's DynamoDBDocumentClient returns for the same input.
 */
import { DynamoDBDocumentClient, BatchGetCommand as SdkBatchGet, GetCommand as SdkGet, QueryCommand as SdkQuery, UpdateCommand as SdkUpdate } from '@aws-sdk/lib-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DeleteCommand, DocumentCalls, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '../../../lambdas/adapters/aws/dynamodb-document';
import { recordCommands, startDynamo, type LocalDynamo } from '../../support/dynalite';

let dynamo: LocalDynamo;
let db: DocumentCalls;
let sdk: DynamoDBDocumentClient;
const T = () => dynamo.tableName;

const item = {
  PK: 'ORDER#D-1',
  SK: 'STATE',
  stage: 'RELEASED',
  version: 3,
  ratio: 0.25,
  flags: { urgent: true, note: null },
  lines: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }],
  tags: new Set(['x', 'y']),
  empty: '',
  gone: undefined,
};

beforeAll(async () => {
  dynamo = await startDynamo();
  db = new DocumentCalls(dynamo.client);
  sdk = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
});
afterAll(() => dynamo.close());

describe('DocumentCalls', () => {
  it('puts and gets plain values (nested maps, lists, sets, null, numbers), dropping undefined, as the DocumentClient reads them', async () => {
    await db.send(new PutCommand({ TableName: T(), Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
    const mine = await db.send(new GetCommand({ TableName: T(), Key: { PK: item.PK, SK: 'STATE' }, ConsistentRead: true }));
    const theirs = await sdk.send(new SdkGet({ TableName: T(), Key: { PK: item.PK, SK: 'STATE' }, ConsistentRead: true }));
    expect(mine.Item).toEqual(theirs.Item);
    const { gone: _g, ...stored } = item;
    expect(mine.Item).toEqual(stored);
    expect(await db.send(new GetCommand({ TableName: T(), Key: { PK: 'ORDER#none', SK: 'STATE' } }))).toHaveProperty('Item', undefined);
  });

  it('passes conditions with values through, and a failed condition is the SDK error', async () => {
    await expect(db.send(new PutCommand({ TableName: T(), Item: item, ConditionExpression: 'attribute_not_exists(PK)' }))).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    const out = await db.send(
      new UpdateCommand({
        TableName: T(),
        Key: { PK: item.PK, SK: 'STATE' },
        UpdateExpression: 'SET stage = :s, version = version + :one',
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':s': 'VALIDATED', ':one': 1, ':v': 3 },
        ReturnValues: 'ALL_OLD',
      }),
    );
    expect(out.Attributes).toMatchObject({ stage: 'RELEASED', version: 3, lines: item.lines });
    const theirs = await sdk.send(new SdkUpdate({ TableName: T(), Key: { PK: item.PK, SK: 'STATE' }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': 'x' }, ReturnValues: 'ALL_NEW' }));
    const mine = await db.send(new UpdateCommand({ TableName: T(), Key: { PK: item.PK, SK: 'STATE' }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': 'x' }, ReturnValues: 'ALL_NEW' }));
    expect(mine.Attributes).toEqual(theirs.Attributes);
    expect(mine.Attributes).toMatchObject({ stage: 'VALIDATED', version: 4, note: 'x' });
  });

  it('writes and reads in batches, and queries page by page with the last key', async () => {
    const events = Array.from({ length: 30 }, (_, i) => ({ PK: 'ORDER#D-2', SK: `EVT#${String(i).padStart(3, '0')}`, n: i, details: { i } }));
    for (let i = 0; i < events.length; i += 25) {
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [T()]: events.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
      expect(out.UnprocessedItems ?? {}).toEqual({});
    }
    const keys = [{ PK: 'ORDER#D-2', SK: 'EVT#003' }, { PK: 'ORDER#D-2', SK: 'EVT#017' }, { PK: 'ORDER#D-2', SK: 'EVT#none' }];
    const mine = await db.send(new BatchGetCommand({ RequestItems: { [T()]: { Keys: keys, ConsistentRead: true } } }));
    const theirs = await sdk.send(new SdkBatchGet({ RequestItems: { [T()]: { Keys: keys, ConsistentRead: true } } }));
    const byKey = (xs: Record<string, unknown>[] | undefined) => [...(xs ?? [])].sort((a, b) => String(a.SK).localeCompare(String(b.SK)));
    expect(byKey(mine.Responses?.[T()])).toEqual(byKey(theirs.Responses?.[T()]));
    expect(byKey(mine.Responses?.[T()]).map((x) => x.n)).toEqual([3, 17]);

    const pages: number[][] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await db.send(new QueryCommand({ TableName: T(), KeyConditionExpression: 'PK = :pk AND begins_with(SK, :e)', ExpressionAttributeValues: { ':pk': 'ORDER#D-2', ':e': 'EVT#' }, Limit: 12, ExclusiveStartKey: start }));
      pages.push((out.Items ?? []).map((x) => x.n as number));
      start = out.LastEvaluatedKey;
    } while (start);
    expect(pages.flat()).toEqual(events.map((e) => e.n));
    expect(pages.map((p) => p.length).slice(0, 3)).toEqual([12, 12, 6]);
    const theirsQuery = await sdk.send(new SdkQuery({ TableName: T(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'ORDER#D-2' }, Limit: 12 }));
    const mineQuery = await db.send(new QueryCommand({ TableName: T(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'ORDER#D-2' }, Limit: 12 }));
    expect(mineQuery.Items).toEqual(theirsQuery.Items);
    expect(mineQuery.LastEvaluatedKey).toEqual(theirsQuery.LastEvaluatedKey);
  });

  it('deletes with a condition and returns the old item; batch deletes take plain keys', async () => {
    const out = await db.send(new DeleteCommand({ TableName: T(), Key: { PK: 'ORDER#D-2', SK: 'EVT#000' }, ConditionExpression: 'n = :n', ExpressionAttributeValues: { ':n': 0 }, ReturnValues: 'ALL_OLD' }));
    expect(out.Attributes).toEqual({ PK: 'ORDER#D-2', SK: 'EVT#000', n: 0, details: { i: 0 } });
    await db.send(new BatchWriteCommand({ RequestItems: { [T()]: [{ DeleteRequest: { Key: { PK: 'ORDER#D-2', SK: 'EVT#001' } } }] } }));
    expect((await db.send(new GetCommand({ TableName: T(), Key: { PK: 'ORDER#D-2', SK: 'EVT#001' } }))).Item).toBeUndefined();
  });

  it('sends one low-level request per call', async () => {
    const sent = recordCommands(dynamo.client);
    await db.send(new GetCommand({ TableName: T(), Key: { PK: item.PK, SK: 'STATE' } }));
    await db.send(new QueryCommand({ TableName: T(), KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': item.PK } }));
    expect(sent).toEqual(['GetItemCommand', 'QueryCommand']);
  });
});
