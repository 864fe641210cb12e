// Status webhooks through the real parts, as `npm start` wires them: the worker process sends
// through the SES event source, its status consumer applies the events, the applied changes
// enqueue webhook jobs, and the worker's dispatcher delivers them, signed, to a local receiver
// that verifies them with the standardwebhooks library (LOCAL_WEBHOOK_URL / _SECRET).
import { randomBytes } from 'node:crypto';
import type { WebhookEvent } from '@notify/shared';
import { isSesSendEmail, webhookWorkerEnv } from '@notify/local-stack';
import { startReceiver, type Delivery, type Receiver } from '../../tools/webhooks/src/receiver.ts';
import { waitFor } from '../../services/email-sender/test/support/local-stack.ts';
import { startStatusPipeline, type StatusPipeline } from './support/status-pipeline-stack.ts';

jest.setTimeout(90_000);

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;

let pipeline: StatusPipeline;
let receiver: Receiver;
let faults: StatusPipeline['faults'];
let submit: StatusPipeline['submit'];

beforeAll(async () => {
  receiver = await startReceiver({ port: 0, secrets: [SECRET] });
  pipeline = await startStatusPipeline((resources) => ({
    ...webhookWorkerEnv(resources, {
      LOCAL_WEBHOOK_URL: receiver.url,
      LOCAL_WEBHOOK_SECRET: SECRET,
    }),
    WEBHOOKS_WAIT_TIME_SECONDS: '1',
  }));
  ({ faults, submit } = pipeline);
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
  await receiver?.close();
});

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
