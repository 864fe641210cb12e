import {
  buildWebhookEvent,
  webhookEventSchema,
  webhookMessageId,
  type RecipientChange,
} from '../../src/webhooks/event.ts';
import { newWebhookJob, parseWebhookJob } from '../../src/webhooks/job.ts';

const bounce: RecipientChange = {
  notificationId: 'n-1',
  reference: 'order-42',
  notificationStatus: 'bounced',
  notificationReason: { code: 'mailbox_does_not_exist', retryable: false },
  address: 'bounce@simulator.amazonses.com',
  from: 'sent',
  to: 'bounced',
  recipientReason: { code: 'mailbox_does_not_exist', retryable: false, detail: '550 5.1.1' },
  at: '2026-12-07T10:00:00.000Z',
  version: 3,
};

describe('buildWebhookEvent', () => {
  it('carries id, reference, status, reason, the changed recipient, the event time and version', () => {
    const event = buildWebhookEvent(bounce);
    expect(event).toEqual({
      type: 'notification.bounced',
      timestamp: '2026-12-07T10:00:00.000Z',
      data: {
        id: 'n-1',
        reference: 'order-42',
        status: 'bounced',
        reason: { code: 'mailbox_does_not_exist', retryable: false },
        recipient: {
          address: 'bounce@simulator.amazonses.com',
          status: 'bounced',
          previousStatus: 'sent',
          reason: { code: 'mailbox_does_not_exist', retryable: false, detail: '550 5.1.1' },
        },
        version: 3,
      },
    });
    expect(webhookEventSchema.parse(event)).toEqual(event);
  });

  it('reports a complaint (status unchanged) as notification.complained', () => {
    const event = buildWebhookEvent({
      notificationId: 'n-2',
      notificationStatus: 'delivered',
      address: 'complaint@simulator.amazonses.com',
      from: 'delivered',
      to: 'delivered',
      complainedAt: '2026-12-07T10:01:00.000Z',
      at: '2026-12-07T10:01:00.000Z',
      version: 4,
    });
    expect(event.type).toBe('notification.complained');
    expect(event.data.recipient).toEqual({
      address: 'complaint@simulator.amazonses.com',
      status: 'delivered',
      complainedAt: '2026-12-07T10:01:00.000Z',
    });
    expect(event.data).not.toHaveProperty('reference');
  });

  it('reports delayed, and refuses statuses no client can subscribe to', () => {
    expect(buildWebhookEvent({ ...bounce, from: 'sent', to: 'delayed' }).type).toBe(
      'notification.delayed',
    );
    expect(() => buildWebhookEvent({ ...bounce, from: 'queued', to: 'sent' })).toThrow(
      /no webhook event type/,
    );
  });
});

describe('webhookMessageId', () => {
  it('is the same for the same change and differs per recipient and type', () => {
    const a = webhookMessageId(buildWebhookEvent(bounce));
    expect(webhookMessageId(buildWebhookEvent({ ...bounce, version: 9 }))).toBe(a);
    expect(a).toMatch(/^msg_[A-Za-z0-9_-]{27}$/);
    expect(webhookMessageId(buildWebhookEvent({ ...bounce, address: 'x@example.com' }))).not.toBe(
      a,
    );
    expect(
      webhookMessageId(
        buildWebhookEvent({
          ...bounce,
          from: 'delivered',
          to: 'delivered',
          complainedAt: bounce.at,
        }),
      ),
    ).not.toBe(a);
  });
});

describe('webhook job', () => {
  it('round-trips through JSON and names the client', () => {
    const job = newWebhookJob('client-a', buildWebhookEvent(bounce));
    expect(parseWebhookJob(JSON.stringify(job))).toEqual({ ok: true, job });
  });
  it('reports what is wrong with a poison body', () => {
    expect(parseWebhookJob('{')).toEqual({ ok: false, reason: 'body is not JSON' });
    const job = newWebhookJob('client-a', buildWebhookEvent(bounce));
    const result = parseWebhookJob(JSON.stringify({ ...job, clientId: '' }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^invalid job: clientId/);
  });
});
