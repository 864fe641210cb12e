// Test fixtures for the email-sender integration tests: the real emulators on free loopback
// ports, a queue + DLQ per test, and small helpers to feed and inspect them.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { createLogger, type Envelope, type Logger } from '@notify/shared';
import {
  startEmulators,
  type Emulators,
  freePort,
  provisionLocalResources,
  type LocalResources,
} from '@notify/local-stack';

export interface TestStack {
  emulators: Emulators;
  sqsUrl: string;
  sesUrl: string;
  sqs: SQSClient;
  /** A fresh queue + DLQ pair (unique prefix) so tests do not see each other's messages. */
  provision(options?: {
    visibilityTimeoutSeconds?: number;
    maxReceiveCount?: number;
  }): Promise<LocalResources>;
  stop(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ region: 'us-east-1', endpoint, credentials });
}

export async function startTestStack(): Promise<TestStack> {
  const ports = { sqs: await freePort(), ses: await freePort(), dynamodb: await freePort() };
  const emulators = await startEmulators(ports);
  const sqsUrl = emulators.env.AWS_ENDPOINT_URL_SQS;
  const sesUrl = emulators.env.AWS_ENDPOINT_URL_SESV2;
  const sqs = sqsClient(sqsUrl);
  return {
    emulators,
    sqsUrl,
    sesUrl,
    sqs,
    provision: (options = {}) =>
      provisionLocalResources({
        prefix: `t${randomUUID().slice(0, 8)}`,
        endpoints: { sqs: sqsUrl, dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB },
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 5,
        maxReceiveCount: options.maxReceiveCount ?? 5,
      }),
    async stop() {
      sqs.destroy();
      await emulators.stop();
    },
  };
}

export function makeEnvelope(
  email: Partial<Envelope['email']> = {},
  extra: Partial<Envelope> = {},
): Envelope {
  return {
    v: 1,
    id: randomUUID(),
    createdAt: new Date().toISOString(),
    requestId: `req-${randomUUID().slice(0, 8)}`,
    ...extra,
    email: {
      to: ['jane@example.com'],
      cc: [],
      bcc: [],
      replyTo: [],
      subject: 'Hello',
      text: 'Body text',
      ...email,
    },
  };
}

export async function enqueue(sqs: SQSClient, queueUrl: string, body: Envelope | string) {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}

export interface StoredEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

export async function sentEmails(sesUrl: string): Promise<StoredEmail[]> {
  const res = await fetch(`${sesUrl}/store`);
  const store = (await res.json()) as { emails: StoredEmail[] };
  return store.emails;
}

export async function clearSentEmails(sesUrl: string): Promise<void> {
  await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
}

export async function queueCounts(sqs: SQSClient, queueUrl: string) {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
    notVisible: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** Reads everything currently visible in a queue (hiding it for a while). */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    if (!out.Messages?.length) return all;
    all.push(...out.Messages);
  }
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** A logger whose JSON lines are kept in memory, so tests stay quiet and can read them. */
export function captureLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      raw.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  const logger = createLogger({ service: 'email-sender-test', level: 'debug', destination });
  return { logger, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
