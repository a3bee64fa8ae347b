import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Edge } from '../../local/edge/server';
import { sqsService } from '../../local/edge/sqs-service';
import { EventSourceMapping } from '../../local/sqs/event-source-mapping';
import { QueueService } from '../../local/sqs/queue-service';
import { ManualClock } from '../support/manual-clock';

describe('local SQS through the AWS SDK', () => {
  const clock = new ManualClock();
  const sqs = new QueueService({ endpoint: 'http://127.0.0.1', clock });
  const edge = new Edge({ port: 0, services: [sqsService(sqs)] });
  let client: SQSClient;

  beforeAll(async () => {
    const url = await edge.start();
    client = new SQSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client.destroy();
    await edge.stop();
  });

  it('hides a delayed message until its delay has passed', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'delayed' }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 60 }));
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    await clock.advance(60_000);
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages?.[0]?.Body).toBe('later');
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await client.send(new CreateQueueCommand({ QueueName: 'orders-dlq' }));
    const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '10', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) } }),
    );
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toHaveLength(1);
      await clock.advance(10_000);
    }
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    const dead = await client.send(new ReceiveMessageCommand({ QueueUrl: dlq.QueueUrl }));
    expect(dead.Messages?.[0]?.Body).toBe('poison');
  });

  it('deletes a received message for good', async () => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'once', Attributes: { VisibilityTimeout: '5' } }));
    await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const [m] = (await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages!;
    await client.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m!.ReceiptHandle }));
    await clock.advance(5_000);
    expect((await client.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  });

  it('answers an unknown queue with QueueDoesNotExist', async () => {
    await expect(client.send(new SendMessageCommand({ QueueUrl: 'http://127.0.0.1/000000000000/nope', MessageBody: 'x' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });

  it('feeds a handler in batches with bounded concurrency and retries reported failures', async () => {
    sqs.createQueue({ QueueName: 'esm', Attributes: { VisibilityTimeout: '30' } });
    const seen: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const mapping = new EventSourceMapping(sqs, {
      queue: 'esm',
      batchSize: 5,
      maxConcurrency: 2,
      async invoke(event) {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise((r) => setTimeout(r, 5));
        concurrent--;
        seen.push(...event.Records.map((r) => r.body));
        return { batchItemFailures: event.Records.filter((r) => r.body === 'm3' && r.attributes.ApproximateReceiveCount === '1').map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    for (let i = 0; i < 20; i++) sqs.sendMessage({ QueueUrl: 'esm', MessageBody: `m${i}` });
    mapping.start();
    await new Promise((r) => setTimeout(r, 50));
    await mapping.idle();
    expect(maxConcurrent).toBe(2);
    expect(new Set(seen).size).toBe(20);
    await clock.advance(30_000);
    await new Promise((r) => setTimeout(r, 20));
    await mapping.idle();
    expect(seen.filter((b) => b === 'm3')).toHaveLength(2);
    expect(sqs.depth('esm')).toBe(0);
    mapping.stop();
  });
});
