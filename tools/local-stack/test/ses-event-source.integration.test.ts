// The local SES event source on the real emulators: SendEmail through it reaches the SES
// emulator unchanged, and what SES would publish arrives on the events queue, readable by
// parseSesEvent; a send without a configuration set publishes nothing, as in SES.
import { randomUUID } from 'node:crypto';
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
  source = await startSesEventSource({
    sesUrl: emulators.env.AWS_ENDPOINT_URL_SESV2,
    port: 0,
    sqsEndpoint: emulators.env.AWS_ENDPOINT_URL_SQS,
    eventsQueueUrl: resources.eventsQueueUrl,
    configurationSets: ['notify-local'],
    pollIntervalMs: 50,
    onError: (error) => errors.push(error),
  });
  ses = new SESv2Client({ region: 'us-east-1', endpoint: source.url, credentials, maxAttempts: 1 });
  sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: emulators.env.AWS_ENDPOINT_URL_SQS,
    credentials,
  });
}, 60_000);

afterAll(async () => {
  ses?.destroy();
  sqs?.destroy();
  await source?.stop();
  await emulators?.stop();
});

const send = (to: string[], extra: Partial<SendEmailCommandInput> = {}) =>
  ses.send(
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
