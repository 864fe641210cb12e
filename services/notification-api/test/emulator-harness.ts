// Starts the real local emulators (SQS, DynamoDB, SES) on free loopback ports for integration
// tests, provisions the queue, dead-letter queue, idempotency and status tables, and offers small queue
// helpers.
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  startEmulators,
  type Emulators,
  freePort,
  provisionLocalResources,
  type LocalResources,
} from '@notify/local-stack';

export interface Harness {
  emulators: Emulators;
  resources: LocalResources;
  sqs: SQSClient;
  dynamodb: DynamoDBDocumentClient;
  /** Environment for a notification-api pointed at the emulators. */
  apiEnv(overrides?: Record<string, string>): Record<string, string>;
  /** Receives (and deletes) everything currently in the queue. */
  drain(queueUrl?: string): Promise<Message[]>;
  createQueue(name: string): Promise<string>;
  stop(): Promise<void>;
}

export const API_TOKEN = 'integration-token-0123456789';

export async function startHarness(prefix: string): Promise<Harness> {
  const ports = { sqs: await freePort(), ses: await freePort(), dynamodb: await freePort() };
  const emulators = await startEmulators(ports);
  try {
    const resources = await provisionLocalResources({
      prefix,
      endpoints: {
        sqs: emulators.env.AWS_ENDPOINT_URL_SQS,
        dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
      },
    });
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: emulators.env.AWS_ENDPOINT_URL_SQS,
      credentials,
    });
    const dynamodb = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: 'us-east-1',
        endpoint: emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
        credentials,
      }),
    );
    return {
      emulators,
      resources,
      sqs,
      dynamodb,
      apiEnv: (overrides = {}) => ({
        ...emulators.env,
        HOST: '127.0.0.1',
        PORT: '0',
        QUEUE_URL: resources.queueUrl,
        IDEMPOTENCY_TABLE: resources.idempotencyTable,
        STATUS_TABLE: resources.statusTable,
        API_TOKENS: JSON.stringify({ billing: API_TOKEN }),
        ENVIRONMENT: 'test',
        LOG_LEVEL: 'info',
        ...overrides,
      }),
      async drain(queueUrl = resources.queueUrl) {
        const all: Message[] = [];
        for (;;) {
          const res = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: queueUrl,
              MaxNumberOfMessages: 10,
              WaitTimeSeconds: 0,
              VisibilityTimeout: 60,
              MessageAttributeNames: ['All'],
            }),
          );
          const messages = res.Messages ?? [];
          if (messages.length === 0) return all;
          all.push(...messages);
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
            }),
          );
        }
      },
      async createQueue(name) {
        const res = await sqs.send(new CreateQueueCommand({ QueueName: name }));
        if (!res.QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
        return res.QueueUrl;
      },
      async stop() {
        sqs.destroy();
        dynamodb.destroy();
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}
