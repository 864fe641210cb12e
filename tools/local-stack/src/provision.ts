// Creates what Terraform creates in AWS, on the emulators: the email queue with its dead-letter
// queue (redrive after maxReceiveCount), the SES events queue with its own dead-letter queue,
// the idempotency table and the notification status table. dynalite has no
// UpdateTimeToLive, so TTL is set only in AWS; the API checks `expiresAt` on read anyway,
// because DynamoDB deletes expired items lazily (up to days later).
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import {
  DynamoDBClient,
  CreateTableCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';

export interface LocalResources {
  queueUrl: string;
  dlqUrl: string;
  idempotencyTable: string;
  /** The queue EventBridge feeds SES events into (locally: the SES event source). */
  eventsQueueUrl: string;
  eventsDlqUrl: string;
  statusTable: string;
  /** Webhook jobs (status changes to deliver to clients) and the ones given up on. */
  webhooksQueueUrl: string;
  webhooksDlqUrl: string;
}

export interface ProvisionOptions {
  /** `<project>-<environment>` prefix, as in AWS. */
  prefix?: string;
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
  endpoints: { sqs: string; dynamodb: string };
  region?: string;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export async function provisionLocalResources(options: ProvisionOptions): Promise<LocalResources> {
  const prefix = options.prefix ?? 'notify-local';
  const region = options.region ?? 'us-east-1';
  const sqs = new SQSClient({ region, endpoint: options.endpoints.sqs, credentials });
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-email-dlq`,
      Attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) },
    }),
  );
  const dlqAttributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-email`,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 60),
        ReceiveMessageWaitTimeSeconds: '20',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqAttributes.Attributes?.QueueArn,
          maxReceiveCount: options.maxReceiveCount ?? 5,
        }),
      },
    }),
  );
  const events = await provisionEventsQueue(sqs, prefix);
  const webhooks = await provisionWebhookQueues(sqs, prefix);
  sqs.destroy();

  const idempotencyTable = `${prefix}-idempotency`;
  const statusTable = `${prefix}-status`;
  const dynamodb = new DynamoDBClient({
    region,
    endpoint: options.endpoints.dynamodb,
    credentials,
  });
  try {
    await createTable(
      dynamodb,
      new CreateTableCommand({
        TableName: idempotencyTable,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await createTable(dynamodb, statusTableDefinition(statusTable));
  } finally {
    dynamodb.destroy();
  }

  if (!queue.QueueUrl || !dlq.QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
  return {
    queueUrl: queue.QueueUrl,
    dlqUrl: dlq.QueueUrl,
    idempotencyTable,
    statusTable,
    ...events,
    ...webhooks,
  };
}

/** SQS redrives an SES event to its DLQ after this many receives (as in terraform/). */
export const EVENTS_MAX_RECEIVE_COUNT = 5;

/**
 * The SES events queue and its dead-letter queue. An event the status consumer cannot read
 * stays on the queue and lands in the DLQ after EVENTS_MAX_RECEIVE_COUNT receives.
 */
async function provisionEventsQueue(
  sqs: SQSClient,
  prefix: string,
): Promise<{ eventsQueueUrl: string; eventsDlqUrl: string }> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-ses-events-dlq`,
      Attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) },
    }),
  );
  const dlqAttributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-ses-events`,
      Attributes: {
        VisibilityTimeout: '30',
        ReceiveMessageWaitTimeSeconds: '20',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqAttributes.Attributes?.QueueArn,
          maxReceiveCount: EVENTS_MAX_RECEIVE_COUNT,
        }),
      },
    }),
  );
  if (!queue.QueueUrl || !dlq.QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
  return { eventsQueueUrl: queue.QueueUrl, eventsDlqUrl: dlq.QueueUrl };
}

/**
 * A safety net only: the dispatcher itself moves a job to the DLQ (with its reason) after its
 * last attempt (8 with the default schedule); SQS redrives one that keeps coming back without
 * an answer (a task that crashes on it) after this many receives.
 */
export const WEBHOOKS_MAX_RECEIVE_COUNT = 20;

/**
 * The webhooks queue and its DLQ. Retention outlives the retry schedule (about 28 hours) with
 * room to spare; a DLQ entry is kept 14 days for replay.
 */
async function provisionWebhookQueues(
  sqs: SQSClient,
  prefix: string,
): Promise<{ webhooksQueueUrl: string; webhooksDlqUrl: string }> {
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-webhooks-dlq`,
      Attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) },
    }),
  );
  const dlqAttributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-webhooks`,
      Attributes: {
        VisibilityTimeout: '60',
        ReceiveMessageWaitTimeSeconds: '20',
        MessageRetentionPeriod: String(4 * 24 * 3600),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqAttributes.Attributes?.QueueArn,
          maxReceiveCount: WEBHOOKS_MAX_RECEIVE_COUNT,
        }),
      },
    }),
  );
  if (!queue.QueueUrl || !dlq.QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
  return { webhooksQueueUrl: queue.QueueUrl, webhooksDlqUrl: dlq.QueueUrl };
}

async function createTable(dynamodb: DynamoDBClient, command: CreateTableCommand): Promise<void> {
  try {
    await dynamodb.send(command);
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/**
 * The status table as AWS has it (design in services/notification-api/README.md): keys pk + sk
 * and the three indexes StatusStore queries. TTL on `expiresAt` exists only in AWS (see above).
 */
function statusTableDefinition(tableName: string): CreateTableCommand {
  const keys = (hash: string, range?: string) => [
    { AttributeName: hash, KeyType: 'HASH' as const },
    ...(range === undefined ? [] : [{ AttributeName: range, KeyType: 'RANGE' as const }]),
  ];
  return new CreateTableCommand({
    TableName: tableName,
    AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi3pk', 'gsi3sk'].map(
      (name) => ({ AttributeName: name, AttributeType: 'S' as const }),
    ),
    KeySchema: keys('pk', 'sk'),
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: [
      {
        IndexName: 'by-reference',
        KeySchema: keys('gsi1pk', 'gsi1sk'),
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'by-ses-message',
        KeySchema: keys('gsi2pk'),
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
      {
        IndexName: 'by-change',
        KeySchema: keys('gsi3pk', 'gsi3sk'),
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  });
}
