import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { randomUUID } from 'node:crypto';
import { simulationProfile, type SimulationProfile } from '../../lambdas/adapters/simulators/profile';
import { sources } from '../../lambdas/contracts';
import { TestClock } from '../../local/engine';
import { LocalRuntime, names } from '../../local/runtime/runtime';

/**
 * The whole local system, driven only through AWS SDK clients pointed at its endpoint (the runtime
 * object is used only to start it and to hold its test clock).
 */
export class System {
  readonly clock = new TestClock({ start: Date.parse('2026-11-23T08:00:00Z') });
  runtime!: LocalRuntime;
  events!: EventBridgeClient;
  sfn!: SFNClient;
  dynamo!: DynamoDBClient;

  static async start(profile: Partial<SimulationProfile>): Promise<System> {
    const system = new System();
    system.runtime = await LocalRuntime.start({
      port: 0,
      clock: system.clock,
      inMemory: true,
      handlerEnv: { SIMULATOR_PROFILE: JSON.stringify(simulationProfile.parse({ seed: 11, unknownSkuRate: 0, lateShipmentRate: 0, ...profile })) },
    });
    const config = { endpoint: system.runtime.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    system.events = new EventBridgeClient(config);
    system.sfn = new SFNClient(config);
    system.dynamo = new DynamoDBClient(config);
    return system;
  }

  now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Puts a catalog event on the bus, as a partner would. */
  async publish(detailType: string, system: keyof typeof sources, data: Record<string, unknown>, eventId: string = randomUUID()) {
    const at = this.now();
    return this.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: names.bus,
            Source: sources[system],
            DetailType: detailType,
            Detail: JSON.stringify({ schemaVersion: '1', eventId, correlationId: data.orderId, occurredAt: at, producer: 'e2e-test', data }),
          },
        ],
      }),
    );
  }

  executionArn(orderId: string): string {
    return `arn:aws:states:us-east-1:000000000000:execution:${names.stateMachine}:${orderId}`;
  }

  /** Polls DescribeExecution until the order's workflow has ended. */
  async finished(orderId: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const out = await this.sfn.send(new DescribeExecutionCommand({ executionArn: this.executionArn(orderId) }));
        if (out.status !== 'RUNNING') return out;
      } catch (error) {
        if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
      }
      if (Date.now() > deadline) throw new Error(`workflow ${orderId} did not finish within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async statesEntered(orderId: string): Promise<string[]> {
    const out = await this.sfn.send(new GetExecutionHistoryCommand({ executionArn: this.executionArn(orderId), maxResults: 1000 }));
    return (out.events ?? []).filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails!.name!);
  }

  async order(orderId: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.dynamo.send(new GetItemCommand({ TableName: names.table, Key: { PK: { S: `ORDER#${orderId}` }, SK: { S: 'STATE' } } }));
    return out.Item ? unmarshall(out.Item) : undefined;
  }

  async quarantine(): Promise<Array<Record<string, unknown>>> {
    const out = await this.dynamo.send(new QueryCommand({ TableName: names.table, KeyConditionExpression: 'PK = :q', ExpressionAttributeValues: { ':q': { S: 'QUARANTINE' } } }));
    return (out.Items ?? []).map((i) => unmarshall(i));
  }

  /**
   * Subscribes a test "person" to an orchestrator event type: while the returned promise's hold is
   * kept, simulated time does not skip ahead (the person is at their desk).
   */
  async deskFor(detailType: string): Promise<{ next: Promise<{ detail: Record<string, unknown>; release: () => void }> }> {
    let resolve!: (v: { detail: Record<string, unknown>; release: () => void }) => void;
    let called = false;
    const seen = new Promise<{ detail: Record<string, unknown>; release: () => void }>((r) => (resolve = r));
    const name = `TestDesk${detailType}`;
    this.runtime.runner.register({
      name,
      handler: async (event) => {
        if (called) return;
        called = true;
        resolve({ detail: (event as { detail: Record<string, unknown> }).detail, release: this.clock.hold() });
      },
    });
    await this.events.send(new PutRuleCommand({ Name: name, EventBusName: names.bus, EventPattern: JSON.stringify({ source: [sources.orchestrator], 'detail-type': [detailType] }) }));
    await this.events.send(new PutTargetsCommand({ Rule: name, EventBusName: names.bus, Targets: [{ Id: 'desk', Arn: this.runtime.runner.arnOf(name) }] }));
    // Wrapped: an async function returning a promise would wait for it.
    return { next: seen };
  }

  async stop() {
    this.events.destroy();
    this.sfn.destroy();
    this.dynamo.destroy();
    await this.runtime.stop();
  }
}

/** A valid order release payload for a given order id. */
export function release(system: System, orderId: string, extra: Record<string, unknown> = {}) {
  const now = system.clock.now();
  return {
    orderId,
    customerId: 'CUST-9',
    customerPriority: 'STANDARD',
    siteId: 'DC-HAM',
    shipTo: { name: 'Acme GmbH', line1: 'Hafenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    requestedShipDate: new Date(now + 86_400_000).toISOString(),
    promisedDeliveryDate: new Date(now + 4 * 86_400_000).toISOString(),
    lines: [{ lineNo: 1, sku: 'SKU-1001', quantity: 3, uom: 'EA' }],
    orderValue: { amount: 900, currency: 'EUR' },
    ...extra,
  };
}
