import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { DynamoDbWorkflowStore } from '../../lambdas/adapters/aws/dynamodb-store';
import { workflowTableDefinition } from '../../lambdas/adapters/dynamodb-table';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; path?: string }) => import('node:http').Server;

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly store: DynamoDbWorkflowStore;
  close(): Promise<void>;
}

/** A real DynamoDB-protocol server (dynalite, in memory) with the workflow table created. */
export async function startDynamo(tableName = 'workflow'): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await client.send(new CreateTableCommand({ TableName: tableName, ...workflowTableDefinition } as never));
  return {
    endpoint,
    client,
    tableName,
    store: new DynamoDbWorkflowStore(tableName, client),
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Records the name of every command `client` sends (`GetItemCommand`, ...): clear the array between checks. */
export function recordCommands(client: DynamoDBClient): string[] {
  const sent: string[] = [];
  client.middlewareStack.add((next, context) => (args) => {
    sent.push(String(context.commandName));
    return next(args);
  }, { step: 'initialize', name: 'recordCommands' });
  return sent;
}
