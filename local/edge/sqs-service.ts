import type { QueueService } from '../sqs/queue-service';
import type { JsonService } from './server';

/** SQS over the AWS JSON 1.0 protocol (what current SDKs and CLIs use). */
export function sqsService(sqs: QueueService): JsonService {
  const ops: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateQueue: (i) => sqs.createQueue(i as never),
    GetQueueUrl: (i) => sqs.getQueueUrl(i as never),
    ListQueues: (i) => sqs.listQueues(i as never),
    SendMessage: (i) => sqs.sendMessage(i as never),
    SendMessageBatch: (i) => sqs.sendMessageBatch(i as never),
    ReceiveMessage: (i) => sqs.receiveMessage(i as never),
    DeleteMessage: (i) => (sqs.deleteMessage(i as never), {}),
    DeleteMessageBatch: (i) => sqs.deleteMessageBatch(i as never),
    ChangeMessageVisibility: (i) => (sqs.changeMessageVisibility(i as never), {}),
    GetQueueAttributes: (i) => sqs.getQueueAttributes(i as never),
    SetQueueAttributes: (i) => (sqs.setQueueAttributes(i as never), {}),
    PurgeQueue: (i) => (sqs.purgeQueue(i as never), {}),
  };
  return { targetPrefix: 'AmazonSQS', errorNamespace: 'com.amazonaws.sqs', operations: ops };
}
