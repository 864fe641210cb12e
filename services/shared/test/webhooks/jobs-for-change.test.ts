import { randomBytes } from 'node:crypto';
import {
  applyEvent,
  newStatusRecord,
  type StatusEvent,
  type StatusRecord,
} from '../../src/status/model.ts';
import { parseWebhookClients } from '../../src/webhooks/client-config.ts';
import { webhookJobsForChange } from '../../src/webhooks/jobs-for-change.ts';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const clients = (events?: string[]) =>
  parseWebhookClients(
    JSON.stringify({
      'client-a': { url: 'https://h.example/', secrets: [secret], ...(events ? { events } : {}) },
    }),
  );

const sent = (): StatusRecord & { clientId: string; reference: string; version: number } => {
  const record = newStatusRecord(
    'n-1',
    ['a@example.com', 'b@example.com'],
    '2026-12-07T10:00:00.000Z',
  );
  return {
    ...record,
    status: 'sent',
    recipients: record.recipients.map((r) => ({ ...r, status: 'sent' as const })),
    clientId: 'client-a',
    reference: 'order-1',
    version: 2,
  };
};

function apply(record: ReturnType<typeof sent>, event: StatusEvent) {
  const result = applyEvent(record, event);
  return {
    event,
    transitions: result.transitions,
    record: { ...record, ...result.record, version: record.version + 1 },
  };
}

const bounce: StatusEvent = {
  eventId: 'e-1',
  notificationId: 'n-1',
  type: 'bounce',
  at: '2026-12-07T10:01:00.000Z',
  recipients: [
    {
      address: 'b@example.com',
      status: 'bounced',
      reason: { code: 'mailbox_does_not_exist', retryable: false },
    },
  ],
};

describe('webhookJobsForChange', () => {
  it('makes one job per recipient transition to a final status, with the record after the change', () => {
    const jobs = webhookJobsForChange(apply(sent(), bounce), clients());
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.clientId).toBe('client-a');
    expect(jobs[0]!.event).toEqual({
      type: 'notification.bounced',
      timestamp: bounce.at,
      data: {
        id: 'n-1',
        reference: 'order-1',
        status: 'sent', // a still waits for its own outcome
        recipient: {
          address: 'b@example.com',
          status: 'bounced',
          previousStatus: 'sent',
          reason: { code: 'mailbox_does_not_exist', retryable: false },
        },
        version: 3,
      },
    });
  });

  it('sends delayed and complaints only to clients that opted in', () => {
    const delay: StatusEvent = {
      ...bounce,
      eventId: 'e-2',
      type: 'delivery_delay',
      recipients: [{ address: 'a@example.com', status: 'delayed' }],
    };
    expect(webhookJobsForChange(apply(sent(), delay), clients())).toEqual([]);
    expect(
      webhookJobsForChange(apply(sent(), delay), clients(['notification.delayed']))[0]!.event.type,
    ).toBe('notification.delayed');

    const delivered = apply(sent(), {
      ...bounce,
      eventId: 'e-3',
      type: 'delivery',
      recipients: [{ address: 'a@example.com', status: 'delivered' }],
    });
    const complaint: StatusEvent = {
      ...bounce,
      eventId: 'e-4',
      type: 'complaint',
      at: '2026-12-07T10:05:00.000Z',
      recipients: [{ address: 'a@example.com' }],
    };
    const complained = apply(delivered.record, complaint);
    expect(complained.transitions).toEqual([]);
    expect(webhookJobsForChange(complained, clients())).toEqual([]);
    const [job] = webhookJobsForChange(complained, clients(['notification.complained']));
    expect(job!.event.type).toBe('notification.complained');
    expect(job!.event.data.recipient).toEqual({
      address: 'a@example.com',
      status: 'delivered',
      complainedAt: complaint.at,
    });
  });

  it('makes no job for a client without a webhook, or for sent', () => {
    const other = { ...apply(sent(), bounce) };
    other.record = { ...other.record, clientId: 'client-b' };
    expect(webhookJobsForChange(other, clients())).toEqual([]);
    const queued = {
      ...sent(),
      status: 'queued' as const,
      recipients: sent().recipients.map((r) => ({ ...r, status: 'queued' as const })),
    };
    const send: StatusEvent = {
      ...bounce,
      eventId: 'e-5',
      type: 'send',
      recipients: [],
      everyone: { status: 'sent' },
    };
    expect(
      webhookJobsForChange(apply(queued, send), clients([...['notification.delivered']])),
    ).toEqual([]);
  });
});
