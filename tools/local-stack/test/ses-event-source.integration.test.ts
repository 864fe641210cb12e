// The local SES event source on the real emulators: SendEmail through it reaches the SES
// emulator unchanged, and what SES would publish arrives on the events queue, readable by
// parseSesEvent; a send without a configuration set publishes nothing, as in SES.
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseSesEvent, type StatusEvent } from '@notify/shared';
import {
  freePort,
  provisionLocalResources,
  startEmulators,
  type Emulators,
  type LocalResources,
} from '../src/index.ts';
import { startSesEventSource, type SesEventSource } from '../src/ses-event-source.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let emulators: Emulators;
let resources: LocalResources;
let source: SesEventSource;
let ses: SESv2Client;
let sqs: SQSClient;
const errors: unknown[] = [];

beforeAll(async () => {
  emulators = await startEmulators({
    sqs: await freePort(),
    ses: await freePort(),
    dynamodb: await freePort(),
  });
  resources = await provisionLocalResources({
    prefix: `t${randomUUID().slice(0, 8)}`,
    endpoints: {
      sqs: emulators.env.AWS_ENDPOINT_URL_SQS,
      dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
    },
  });
  source = await startSource(emulators.env.AWS_ENDPOINT_URL_SESV2);
  ses = sesClient(source.url);
  sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: emulators.env.AWS_ENDPOINT_URL_SQS,
    credentials,
  });
}, 60_000);

/** An event source in front of `sesUrl`, publishing into the test's events queue. */
const startSource = (sesUrl: string) =>
  startSesEventSource({
    sesUrl,
    port: 0,
    sqsEndpoint: emulators.env.AWS_ENDPOINT_URL_SQS,
    eventsQueueUrl: resources.eventsQueueUrl,
    configurationSets: ['notify-local'],
    pollIntervalMs: 50,
    onError: (error) => errors.push(error),
  });

const sesClient = (endpoint: string) =>
  new SESv2Client({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });

afterAll(async () => {
  ses?.destroy();
  sqs?.destroy();
  await source?.stop();
  await emulators?.stop();
});

const send = (to: string[], extra: Partial<SendEmailCommandInput> = {}, client = ses) =>
  client.send(
    new SendEmailCommand({
      FromEmailAddress: 'Notify Local <notifications@notify.local>',
      Destination: { ToAddresses: to },
      Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } },
      ...extra,
    }),
  );

async function receiveEvents(count: number, timeoutMs = 15_000): Promise<StatusEvent[]> {
  const events: StatusEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.length < count && Date.now() < deadline) {
    const answer = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: resources.eventsQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    for (const message of answer.Messages ?? []) {
      const parsed = parseSesEvent(message.Body);
      if (parsed.kind !== 'event') throw new Error(`${parsed.kind}: ${parsed.reason}`);
      events.push(parsed.event);
    }
  }
  return events;
}

it('publishes Send, then per recipient Delivery or Bounce, tagged with the notification id', async () => {
  const notificationId = randomUUID();
  const unpublished = await send(['jane@example.com']);
  const { MessageId } = await send(
    ['success@simulator.amazonses.com', 'bounce@simulator.amazonses.com'],
    {
      ConfigurationSetName: 'notify-local',
      EmailTags: [{ Name: 'notification_id', Value: notificationId }],
    },
  );
  const events = await receiveEvents(3);
  expect(events.map((e) => e.type).sort()).toEqual(['bounce', 'delivery', 'send']);
  for (const event of events) {
    expect(event.notificationId).toBe(notificationId);
    expect(event.sesMessageId).toBe(MessageId);
  }
  // The send without a configuration set reached the emulator but published nothing.
  const store = (await (await fetch(`${source.url}/store`)).json()) as {
    emails: { messageId: string }[];
  };
  expect(store.emails.map((e) => e.messageId)).toEqual(
    expect.arrayContaining([unpublished.MessageId, MessageId]),
  );
  expect(await receiveEvents(1, 2_000)).toEqual([]);
  expect(errors).toEqual([]);
});

it('refuses what SES refuses: an unsafe tag value, an unknown configuration set', async () => {
  await expect(
    send(['jane@example.com'], { EmailTags: [{ Name: 'notification_id', Value: 'a b' }] }),
  ).rejects.toMatchObject({ name: 'BadRequestException' });
  await expect(
    send(['jane@example.com'], { ConfigurationSetName: 'notify-elsewhere' }),
  ).rejects.toMatchObject({ name: 'NotFoundException' });
});

it('reads only recent mail from the store, and still publishes each email once', async () => {
  // A recording hop in front of the SES emulator: which `since` each GET /store asked for.
  const asked: string[] = [];
  const target = new URL(emulators.env.AWS_ENDPOINT_URL_SESV2);
  const hop = createServer((req, res) => {
    if (req.url?.startsWith('/store')) asked.push(req.url);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
  const hopUrl = `http://127.0.0.1:${(hop.address() as AddressInfo).port}`;
  // Mail already in the store from the tests above is read once, on the first poll.
  const windowed = await startSource(hopUrl);
  const client = sesClient(windowed.url);
  try {
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const notificationId = randomUUID();
      ids.push(notificationId);
      await send(
        ['success@simulator.amazonses.com'],
        {
          ConfigurationSetName: 'notify-local',
          EmailTags: [{ Name: 'notification_id', Value: notificationId }],
        },
        client,
      );
      // Across a second boundary, so the second email is found by a later window.
      if (i === 0) await new Promise((resolve) => setTimeout(resolve, 1_200));
    }
    const events = await receiveEvents(4);
    expect(await receiveEvents(1, 1_500)).toEqual([]);
    expect(events.map((e) => `${e.notificationId} ${e.type}`).sort()).toEqual(
      ids.flatMap((id) => [`${id} delivery`, `${id} send`]).sort(),
    );
    const since = asked.map((url) => Number(new URL(url, hopUrl).searchParams.get('since')));
    expect(since[0]).toBe(0);
    const nowSeconds = Math.floor(Date.now() / 1000);
    // After the first poll each one starts within a few seconds of its own time.
    expect(since.slice(1).every((s) => s > nowSeconds - 10)).toBe(true);
    expect(errors).toEqual([]);
  } finally {
    client.destroy();
    await windowed.stop();
    await new Promise<void>((resolve) => hop.close(() => resolve()));
  }
});
