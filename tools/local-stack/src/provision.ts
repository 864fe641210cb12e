// Creates what Terraform creates in AWS, on the emulators: the email queue with its dead-letter
// queue (redrive after maxReceiveCount) and the idempotency table. dynalite has no
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
  const webhooks = await provisionWebhookQueues(sqs, prefix);
  sqs.destroy();

  const idempotencyTable = `${prefix}-idempotency`;
  const dynamodb = new DynamoDBClient({
    region,
    endpoint: options.endpoints.dynamodb,
    credentials,
  });
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: idempotencyTable,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    dynamodb.destroy();
  }

  if (!queue.QueueUrl || !dlq.QueueUrl) throw new Error('CreateQueue returned no QueueUrl');
  return { queueUrl: queue.QueueUrl, dlqUrl: dlq.QueueUrl, idempotencyTable, ...webhooks };
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
