// `npm run dlq` as an operator runs it (the CLI as a process, configured only by the standard
// AWS environment) against the local SQS emulator: a message dead-lettered by a real redrive
// policy and one set aside by the worker's own DeadLetter code, listed, peeked and redriven.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createLogger } from '@notify/shared';
import {
  freePort,
  provisionLocalResources,
  startEmulators,
  type Emulators,
  type LocalResources,
} from '@notify/local-stack';
import { DeadLetter } from '../../../services/email-sender/src/dead-letter.ts';

const cli = join(__dirname, '..', 'cli.ts');
const MAX_RECEIVE_COUNT = 2;
const ADDRESS = 'jane.doe@example.com';

let emulators: Emulators;
let sqs: SQSClient;

beforeAll(async () => {
  emulators = await startEmulators({
    sqs: await freePort(),
    ses: await freePort(),
    dynamodb: await freePort(),
  });
  sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: emulators.env.AWS_ENDPOINT_URL_SQS,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}, 60_000);

afterAll(async () => {
  sqs?.destroy();
  await emulators?.stop();
});

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function dlq(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { PATH: process.env.PATH ?? '', ...emulators.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

async function depth(queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

/** Receives the message maxReceiveCount times without deleting it, as a failing worker does. */
async function deadLetterThroughRedrivePolicy(resources: LocalResources, body: string) {
  await sqs.send(new SendMessageCommand({ QueueUrl: resources.queueUrl, MessageBody: body }));
  for (let i = 0; i < MAX_RECEIVE_COUNT; i += 1) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resources.queueUrl,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages).toHaveLength(1);
  }
  // The receive after the last allowed one is where SQS moves it to the dead-letter queue.
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: resources.queueUrl, WaitTimeSeconds: 0 }),
  );
  expect(Messages).toHaveLength(0);
}

function silentLogger() {
  return createLogger({
    service: 'dlq-test',
    destination: new Writable({ write: (_chunk, _encoding, callback) => callback() }),
  });
}

async function provision(prefix: string) {
  return provisionLocalResources({
    prefix,
    endpoints: {
      sqs: emulators.env.AWS_ENDPOINT_URL_SQS,
      dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
    },
    maxReceiveCount: MAX_RECEIVE_COUNT,
    visibilityTimeoutSeconds: 30,
  });
}

it('lists, peeks and redrives a dead-letter queue until it is empty', async () => {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const resources = await provision(prefix);
  // A second queue pair, as the status events queue will add: found by the prefix alone.
  const eventsDlq = await sqs.send(
    new CreateQueueCommand({ QueueName: `${prefix}-ses-events-dlq` }),
  );

  const policyBody = JSON.stringify({ id: 'n-policy', email: { to: [ADDRESS] } });
  await deadLetterThroughRedrivePolicy(resources, policyBody);
  const workerBody = JSON.stringify({ id: 'n-worker', email: { to: [ADDRESS] } });
  await new DeadLetter({ sqs, dlqUrl: resources.dlqUrl, logger: silentLogger() }).move({
    body: workerBody,
    sourceMessageId: 'source-1',
    receiveCount: 5,
    kind: 'permanent',
    reason: `MessageRejected: Email address is not verified: ${ADDRESS}`,
  });
  expect(await depth(resources.dlqUrl)).toEqual({ visible: 2, inFlight: 0 });

  const listed = await dlq(['list', '--prefix', prefix]);
  expect(listed).toMatchObject({ code: 0, stderr: '' });
  const rows = listed.stdout.trim().split('\n');
  expect(rows[0]).toMatch(/^queue\s+messages\s+in flight\s+source queue$/);
  expect(rows).toContainEqual(
    expect.stringMatching(new RegExp(`^${prefix}-email-dlq\\s+2\\s+0\\s+${prefix}-email$`)),
  );
  // Every dead-letter queue the local stack provisions, each found through its source's redrive.
  for (const name of ['ses-events', 'webhooks']) {
    expect(rows).toContainEqual(
      expect.stringMatching(new RegExp(`^${prefix}-${name}-dlq\\s+0\\s+0\\s+${prefix}-${name}$`)),
    );
  }
  expect(listed.stdout).not.toMatch(new RegExp(`^${prefix}-email\\s`, 'm'));

  const peeked = await dlq(['peek', `${prefix}-email-dlq`, '--prefix', prefix]);
  expect(peeked).toMatchObject({ code: 0, stderr: '' });
  expect(peeked.stdout).toContain(`source queue ${prefix}-email; showing 2, addresses masked`);
  expect(peeked.stdout).toContain('"j***@example.com"');
  expect(peeked.stdout).not.toContain(ADDRESS);
  expect(peeked.stdout).toContain('attribute failure-kind: permanent');
  expect(peeked.stdout).toContain(
    'attribute failure-reason: MessageRejected: Email address is not verified: j***@example.com',
  );
  expect(peeked.stdout).toContain('attribute source-message-id: source-1');
  expect(peeked.stdout).toContain('attribute receive-count: 5');
  expect(peeked.stdout.match(/^message /gm)).toHaveLength(2);
  // Nothing was taken out, and nothing is left hidden.
  expect(await depth(resources.dlqUrl)).toEqual({ visible: 2, inFlight: 0 });

  const clear = await dlq(['peek', resources.dlqUrl, '--max', '1', '--show-addresses']);
  expect(clear.stdout).toContain(`"${ADDRESS}"`);
  expect(clear.stdout).toContain('showing 1\n');
  expect(await depth(resources.dlqUrl)).toEqual({ visible: 2, inFlight: 0 });

  // The source queue itself is refused: a peek there would count toward maxReceiveCount.
  const wrongQueue = await dlq(['peek', `${prefix}-email`]);
  expect(wrongQueue.code).toBe(1);
  expect(wrongQueue.stderr.trim()).toBe(
    `dlq: ${prefix}-email is not a dead-letter queue (its redrive policy sends to ${prefix}-email-dlq); ` +
      `peek works on dead-letter queues only: try peek ${prefix}-email-dlq`,
  );

  const redriven = await dlq(['redrive', `${prefix}-email-dlq`, '--prefix', prefix]);
  expect(redriven).toMatchObject({ code: 0, stderr: '' });
  expect(redriven.stdout).toContain('this endpoint has no StartMessageMoveTask');
  expect(redriven.stdout).toContain('used the copy redrive instead');
  expect(redriven.stdout).toContain(`moved 2 message(s): ${prefix}-email-dlq -> ${prefix}-email`);
  expect(await depth(resources.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });

  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: resources.queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }),
  );
  expect(Messages.map((m) => m.Body).sort()).toEqual([policyBody, workerBody].sort());
  // Back on the source queue as new messages: the worker gets its full retries again.
  expect(Messages.map((m) => m.Attributes?.ApproximateReceiveCount)).toEqual(['1', '1']);
  const fromWorker = Messages.find((m) => m.Body === workerBody);
  expect(fromWorker?.MessageAttributes?.['failure-kind']?.StringValue).toBe('permanent');

  const status = await dlq(['status', `${prefix}-email-dlq`]);
  expect(status).toMatchObject({ code: 0, stderr: '' });
  expect(status.stdout).toContain('this endpoint has no message move tasks');
  expect(eventsDlq.QueueUrl).toBeDefined();
}, 60_000);

it('redrives at the requested rate, and to --to when asked', async () => {
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const resources = await provision(prefix);
  const other = await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-elsewhere` }));
  for (let i = 0; i < 4; i += 1) {
    await sqs.send(new SendMessageCommand({ QueueUrl: resources.dlqUrl, MessageBody: `m-${i}` }));
  }
  const started = Date.now();
  const result = await dlq([
    'redrive',
    `${prefix}-email-dlq`,
    '--max-per-second',
    '2',
    '--to',
    `${prefix}-elsewhere`,
  ]);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toContain(`moved 4 message(s): ${prefix}-email-dlq -> ${prefix}-elsewhere`);
  // 4 messages at 2 per second: the last batch may not leave before 2 s have passed.
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  expect(await depth(other.QueueUrl as string)).toEqual({ visible: 4, inFlight: 0 });
  expect(await depth(resources.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
}, 60_000);

it('names the queue that does not exist and the endpoint it asked', async () => {
  const result = await dlq(['peek', 'notify-nowhere-email-dlq']);
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe(
    `dlq: queue notify-nowhere-email-dlq not found at ${emulators.env.AWS_ENDPOINT_URL_SQS} (AWS_ENDPOINT_URL_SQS)`,
  );
});

it('says when the endpoint does not answer', async () => {
  const port = await freePort();
  const result = await dlq(['list'], { AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${port}` });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`dlq: cannot reach http://127.0.0.1:${port}`);
  expect(result.stderr).toContain('ECONNREFUSED');
});
