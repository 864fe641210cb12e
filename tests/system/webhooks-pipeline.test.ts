// Status webhooks through the real parts, as `npm start` wires them: the worker process sends
// through the SES event source, its status consumer applies the events, the applied changes
// enqueue webhook jobs, and the worker's dispatcher delivers them, signed, to a local receiver
// that verifies them with the standardwebhooks library (LOCAL_WEBHOOK_URL / _SECRET).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StatusStore, type WebhookEvent } from '@notify/shared';
import {
  DEV_CLIENT_ID,
  freePort,
  isSesSendEmail,
  startFaultProxy,
  startNodeProcess,
  startSesEventSource,
  waitForHttp,
  webhookWorkerEnv,
  workerEnv,
  type FaultProxy,
  type LocalResources,
  type ManagedProcess,
  type SesEventSource,
} from '@notify/local-stack';
import { startReceiver, type Delivery, type Receiver } from '../../tools/webhooks/src/receiver.ts';
import {
  enqueue,
  makeEnvelope,
  startTestStack,
  waitFor,
  type TestStack,
} from '../../services/email-sender/test/support/local-stack.ts';

jest.setTimeout(90_000);

const MAIN = join(__dirname, '..', '..', 'services', 'email-sender', 'src', 'main.ts');
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

let stack: TestStack;
let resources: LocalResources;
let source: SesEventSource;
let faults: FaultProxy;
let receiver: Receiver;
let worker: ManagedProcess;
let dynamodb: DynamoDBDocumentClient;
let store: StatusStore;

beforeAll(async () => {
  stack = await startTestStack();
  resources = await stack.provision();
  source = await startSesEventSource({
    sesUrl: stack.sesUrl,
    port: 0,
    sqsEndpoint: stack.sqsUrl,
    eventsQueueUrl: resources.eventsQueueUrl,
    configurationSets: ['notify-local'],
    pollIntervalMs: 50,
  });
  faults = await startFaultProxy({ target: source.url });
  receiver = await startReceiver({ port: 0, secrets: [SECRET] });
  dynamodb = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: stack.emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  store = new StatusStore({ client: dynamodb, table: resources.statusTable, retentionDays: 30 });
  const opsPort = await freePort();
  worker = startNodeProcess({
    name: 'email-sender',
    args: [MAIN],
    env: {
      ...workerEnv(
        { ...stack.emulators.env, AWS_ENDPOINT_URL_SESV2: faults.url },
        resources,
        opsPort,
      ),
      ...webhookWorkerEnv(resources, {
        LOCAL_WEBHOOK_URL: receiver.url,
        LOCAL_WEBHOOK_SECRET: SECRET,
      }),
      WAIT_TIME_SECONDS: '1',
      WEBHOOKS_WAIT_TIME_SECONDS: '1',
      VISIBILITY_TIMEOUT_SECONDS: '5',
      SES_TIMEOUT_MS: '3000',
      SEND_RATE_PER_SECOND: '50',
    },
  });
  await waitForHttp(`http://127.0.0.1:${opsPort}/readyz`, 200, 20_000);
}, 60_000);

afterAll(async () => {
  await worker?.stop('SIGTERM', 15_000);
  await receiver?.close();
  await faults?.close();
  await source?.stop();
  dynamodb?.destroy();
  await stack?.stop();
});

/** What the API does on POST: the record first, then the message on the queue. */
async function submit(to: string[]): Promise<string> {
  const envelope = makeEnvelope({ to });
  await store.create({
    id: envelope.id,
    clientId: DEV_CLIENT_ID,
    addresses: to,
    createdAt: envelope.createdAt,
  });
  await enqueue(stack.sqs, resources.queueUrl, envelope);
  return envelope.id;
}

const deliveriesFor = (id: string) =>
  receiver.deliveries.filter((d) => (d.event as WebhookEvent | undefined)?.data.id === id);

const webhooksFor = (id: string, count: number) =>
  waitFor(
    `${count} webhook(s) for ${id}`,
    async () => {
      const found = deliveriesFor(id);
      return found.length >= count ? found : undefined;
    },
    20_000,
    100,
  );

it.each([
  ['success@simulator.amazonses.com', 'notification.delivered', undefined],
  ['ooto@simulator.amazonses.com', 'notification.delivered', undefined],
  ['complaint@simulator.amazonses.com', 'notification.delivered', undefined],
  ['bounce@simulator.amazonses.com', 'notification.bounced', 'mailbox_does_not_exist'],
  ['suppressionlist@simulator.amazonses.com', 'notification.suppressed', 'on_suppression_list'],
])('%s produces a signed %s webhook', async (address, type, reasonCode) => {
  const id = await submit([address]);
  const [delivery] = (await webhooksFor(id, 1)) as [Delivery];
  expect(delivery.verified).toBe(true);
  const event = delivery.event as WebhookEvent;
  expect(event.type).toBe(type);
  expect(event.data.recipient.address).toBe(address);
  expect(event.data.recipient.status).toBe(type.replace('notification.', ''));
  expect(event.data.recipient.reason?.code).toBe(reasonCode);
  expect(event.data.version).toBeGreaterThan(1);
  expect(delivery.headers['webhook-id']).toMatch(/^msg_/);
});

it('a permanent SendEmail error (recorded by the worker) produces notification.rejected', async () => {
  faults.setPlan({ match: isSesSendEmail, sequence: ['reject'] });
  const id = await submit(['jane@example.com']);
  const [delivery] = (await webhooksFor(id, 1)) as [Delivery];
  expect(delivery.verified).toBe(true);
  expect((delivery.event as WebhookEvent).type).toBe('notification.rejected');
  expect((delivery.event as WebhookEvent).data.reason?.code).toBe('message_rejected');
});

it('one webhook per recipient; sent and other non-final changes send none', async () => {
  const to = ['success@simulator.amazonses.com', 'bounce@simulator.amazonses.com'];
  const id = await submit(to);
  const deliveries = await webhooksFor(id, 2);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const events = deliveriesFor(id).map((d) => d.event as WebhookEvent);
  expect(events.map((e) => [e.data.recipient.address, e.type]).sort()).toEqual([
    ['bounce@simulator.amazonses.com', 'notification.bounced'],
    ['success@simulator.amazonses.com', 'notification.delivered'],
  ]);
  expect(deliveries.every((d) => d.verified)).toBe(true);
});
