// The dispatcher on the SQS emulator against a real local receiver that verifies signatures with
// the standardwebhooks library: retries through visibility, the DLQ with its reason, and replay.
import { randomBytes } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  buildWebhookEvent,
  newWebhookJob,
  type MetricsEmitter,
  type MetricValue,
  type WebhookJob,
} from '@notify/shared';
import type { LocalResources } from '@notify/local-stack';
import { startReceiver, type Receiver } from '../../../../tools/webhooks/src/receiver.ts';
import { replayDeadLetters } from '../../../../tools/webhooks/src/replay.ts';
import { DEFAULT_ATTEMPT_OPTIONS } from '../../src/webhooks/attempt.ts';
import { WebhookJobQueue } from '../../src/webhooks/job-queue.ts';
import { createWebhookDispatcher, type WebhookDispatcher } from '../../src/webhooks/dispatcher.ts';
import {
  captureLogger,
  drainQueue,
  queueCounts,
  startTestStack,
  waitFor,
  type TestStack,
} from '../support/local-stack.ts';

jest.setTimeout(60_000);

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;

function countingMetrics(): MetricsEmitter & { total(name: string): number } {
  const seen: Record<string, number> = {};
  return {
    emit(metrics: Record<string, MetricValue>) {
      for (const [name, { value }] of Object.entries(metrics)) {
        seen[name] = (seen[name] ?? 0) + (name.endsWith('Duration') ? 0 : value);
      }
    },
    flush() {},
    close() {},
    total: (name) => seen[name] ?? 0,
  };
}

function job(clientId: string): WebhookJob {
  return newWebhookJob(
    clientId,
    buildWebhookEvent({
      notificationId: `n-${randomBytes(4).toString('hex')}`,
      reference: 'order-1',
      notificationStatus: 'delivered',
      address: 'success@simulator.amazonses.com',
      from: 'sent',
      to: 'delivered',
      at: new Date().toISOString(),
      version: 2,
    }),
  );
}

let stack: TestStack;
let resources: LocalResources;
let receiver: Receiver | undefined;
let dispatcher: WebhookDispatcher | undefined;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  resources = await stack.provision();
});
afterEach(async () => {
  await dispatcher?.stop(5_000);
  await receiver?.close();
  dispatcher = undefined;
  receiver = undefined;
});

function startDispatcher(url: string, secrets: string[], schedule: number[], timeoutMs = 2_000) {
  const metrics = countingMetrics();
  const { logger } = captureLogger();
  dispatcher = createWebhookDispatcher({
    settings: {
      queueUrl: resources.webhooksQueueUrl,
      dlqUrl: resources.webhooksDlqUrl,
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 10,
      maxInFlight: 10,
      perEndpointConcurrency: 2,
      perEndpointWaiting: 2,
      deferSeconds: 1,
      schedule,
      policy: { allowLoopback: true },
      attempt: { ...DEFAULT_ATTEMPT_OPTIONS, timeoutMs },
    },
    sqs: stack.sqs,
    clients: () => new Map([['client-a', { url, secrets, events: [] }]]),
    logger,
    metrics,
  });
  dispatcher.start();
  return metrics;
}

// As the status consumer enqueues them.
async function enqueueJob(j: WebhookJob) {
  await new WebhookJobQueue(stack.sqs, resources.webhooksQueueUrl).enqueue([j]);
}

it('retries a receiver that answers 500 three times, then delivers exactly once, signed with the rotated secrets', async () => {
  const [oldSecret, newSecret] = [secret(), secret()];
  // The receiver already moved to the new secret; the dispatcher still signs with both.
  receiver = await startReceiver({
    port: 0,
    secrets: [newSecret],
    respond: (d) => (d.number <= 3 ? 500 : 200),
  });
  const metrics = startDispatcher(receiver.url, [oldSecret, newSecret], [1, 1, 1, 1, 1]);
  const sent = job('client-a');
  await enqueueJob(sent);

  await waitFor('the successful delivery', async () => metrics.total('WebhookDelivered') === 1);
  // Nothing further arrives: the job was deleted after its success.
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const deliveries = receiver.deliveries;
  expect(deliveries.map((d) => d.answered)).toEqual([500, 500, 500, 200]);
  expect(deliveries.every((d) => d.verified)).toBe(true);
  expect(new Set(deliveries.map((d) => d.headers['webhook-id']))).toEqual(
    new Set([sent.messageId]),
  );
  expect(deliveries[3]!.event).toEqual(sent.event);
  expect(metrics.total('WebhookRetries')).toBe(3);
  expect(metrics.total('WebhookAttempts')).toBe(4);
  expect(metrics.total('WebhookDelivered')).toBe(1);
  expect(await queueCounts(stack.sqs, resources.webhooksQueueUrl)).toEqual({
    visible: 0,
    notVisible: 0,
  });
  expect(await queueCounts(stack.sqs, resources.webhooksDlqUrl)).toEqual({
    visible: 0,
    notVisible: 0,
  });
});

it('gives up on a 4xx at once, to the DLQ with the reason', async () => {
  receiver = await startReceiver({ port: 0, secrets: [secret()], respond: () => 410 });
  const metrics = startDispatcher(receiver.url, [secret()], [1, 1, 1]);
  await enqueueJob(job('client-a'));
  await waitFor('the dead letter', async () => metrics.total('WebhookDeadLettered') === 1);
  const [dead] = await drainQueue(stack.sqs, resources.webhooksDlqUrl);
  expect(receiver.deliveries).toHaveLength(1);
  expect(dead!.MessageAttributes?.['failure-kind']?.StringValue).toBe('permanent');
  expect(dead!.MessageAttributes?.['failure-reason']?.StringValue).toBe('HTTP 410');
});

it('sends a job whose receiver never answers to the DLQ after its last try; a replay delivers it', async () => {
  let answering = false;
  const key = secret();
  receiver = await startReceiver({
    port: 0,
    secrets: [key],
    respond: () => (answering ? 204 : 'silent'),
  });
  const metrics = startDispatcher(receiver.url, [key], [1, 1], 300);
  const sent = job('client-a');
  await enqueueJob(sent);

  await waitFor('the dead letter', async () => metrics.total('WebhookDeadLettered') === 1, 20_000);
  expect(receiver.deliveries).toHaveLength(3);
  expect(metrics.total('WebhookRetries')).toBe(2);
  expect(await queueCounts(stack.sqs, resources.webhooksQueueUrl)).toEqual({
    visible: 0,
    notVisible: 0,
  });

  answering = true;
  const reasons: string[] = [];
  const moved = await replayDeadLetters({
    sqs: stack.sqs,
    dlqUrl: resources.webhooksDlqUrl,
    queueUrl: resources.webhooksQueueUrl,
    onJob: (m) => reasons.push(m.MessageAttributes?.['failure-reason']?.StringValue ?? ''),
  });
  expect(moved).toBe(1);
  expect(reasons).toEqual([
    'retries exhausted after 3 attempts: no answer within the attempt deadline',
  ]);
  await waitFor('the replayed delivery', async () => metrics.total('WebhookDelivered') === 1);
  const last = receiver.deliveries.at(-1)!;
  expect(last).toMatchObject({ answered: 204, verified: true });
  expect(last.headers['webhook-id']).toBe(sent.messageId);
  expect(await queueCounts(stack.sqs, resources.webhooksDlqUrl)).toEqual({
    visible: 0,
    notVisible: 0,
  });
});

it('sets a poison job and a job for a client without a webhook aside', async () => {
  receiver = await startReceiver({ port: 0, secrets: [secret()] });
  const metrics = startDispatcher(receiver.url, [secret()], [1]);
  await stack.sqs.send(
    new SendMessageCommand({ QueueUrl: resources.webhooksQueueUrl, MessageBody: '{"v":9}' }),
  );
  await enqueueJob(job('client-without-webhook'));
  await waitFor('two dead letters', async () => metrics.total('WebhookDeadLettered') === 2);
  const reasons = (await drainQueue(stack.sqs, resources.webhooksDlqUrl))
    .map((m) => m.MessageAttributes?.['failure-reason']?.StringValue)
    .sort();
  expect(reasons).toEqual([
    'client client-without-webhook has no webhook configured',
    expect.stringMatching(/^invalid job: v/),
  ]);
  expect(receiver.deliveries).toHaveLength(0);
});
