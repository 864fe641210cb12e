// The local SES event source's events, checked against the platform's own parser: every
// mailbox-simulator address yields events that parseSesEvent turns into the documented statuses.
import { applyEvent, newStatusRecord, parseSesEvent, type StatusEvent } from '@notify/shared';
import {
  checkSendRequest,
  sesEventsFor,
  simulatorOutcome,
  type ObservedEmail,
} from '../src/ses-event-source.ts';

const notificationId = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
let clock = Date.parse('2026-12-07T10:00:00.000Z');
const context = { account: '000000000000', region: 'us-east-1', now: () => new Date((clock += 7)) };

const email = (destination: string[]): ObservedEmail => ({
  messageId: 'ses-123456789',
  from: 'Notify Local <notifications@notify.local>',
  subject: 'Hi',
  destination,
  configurationSet: 'notify-local',
  tags: { notification_id: notificationId, reference: 'order-42' },
  sentAt: new Date(clock),
});

function parsedEvents(destination: string[]): StatusEvent[] {
  return sesEventsFor(email(destination), context).map((event) => {
    // Through JSON, as the consumer reads it off the queue.
    const parsed = parseSesEvent(JSON.stringify(event));
    if (parsed.kind !== 'event') throw new Error(`${parsed.kind}: ${parsed.reason}`);
    return parsed.event;
  });
}

function finalRecord(destination: string[]) {
  let record = newStatusRecord(notificationId, destination, new Date(clock).toISOString());
  for (const event of parsedEvents(destination)) record = applyEvent(record, event).record;
  return record;
}

describe('simulatorOutcome', () => {
  it.each([
    ['success@simulator.amazonses.com', 'delivered'],
    ['ooto@simulator.amazonses.com', 'delivered'],
    ['bounce@simulator.amazonses.com', 'bounced'],
    ['Bounce+order-1@Simulator.AmazonSES.com', 'bounced'],
    ['complaint@simulator.amazonses.com', 'complained'],
    ['suppressionlist@simulator.amazonses.com', 'suppressed'],
    ['Jane <bounce@example.com>', 'delivered'],
    ['jane@example.com', 'delivered'],
  ])('%s -> %s', (address, outcome) => {
    expect(simulatorOutcome(address)).toBe(outcome);
  });
});

describe('sesEventsFor, read back by parseSesEvent', () => {
  it.each([
    ['success@simulator.amazonses.com', ['send', 'delivery'], 'delivered', undefined],
    ['ooto@simulator.amazonses.com', ['send', 'delivery'], 'delivered', undefined],
    ['jane@example.com', ['send', 'delivery'], 'delivered', undefined],
    ['bounce@simulator.amazonses.com', ['send', 'bounce'], 'bounced', 'mailbox_does_not_exist'],
    [
      'complaint@simulator.amazonses.com',
      ['send', 'delivery', 'complaint'],
      'delivered',
      undefined,
    ],
    ['suppressionlist@simulator.amazonses.com', ['bounce'], 'suppressed', 'on_suppression_list'],
  ])('%s: %j -> %s', (address, types, status, reasonCode) => {
    const events = parsedEvents([address]);
    expect(events.map((e) => e.type)).toEqual(types);
    for (const event of events) {
      expect(event.notificationId).toBe(notificationId);
      expect(event.sesMessageId).toBe('ses-123456789');
    }
    const record = finalRecord([address]);
    expect(record.status).toBe(status);
    expect(record.reason?.code).toBe(reasonCode);
    expect(record.complainedAt !== undefined).toBe(address.startsWith('complaint@'));
  });

  it('publishes per recipient: one Send for the email, each recipient its own outcome', () => {
    const to = [
      'success@simulator.amazonses.com',
      'bounce@simulator.amazonses.com',
      'complaint@simulator.amazonses.com',
      'suppressionlist@simulator.amazonses.com',
    ];
    const events = parsedEvents(to);
    expect(events.map((e) => e.type)).toEqual([
      'send',
      'delivery',
      'bounce',
      'delivery',
      'complaint',
      'bounce',
    ]);
    for (const event of events.slice(1)) expect(event.recipients).toHaveLength(1);
    const record = finalRecord(to);
    expect(record.recipients.map((r) => r.status)).toEqual([
      'delivered',
      'bounced',
      'delivered',
      'suppressed',
    ]);
    expect(record.status).toBe('delivered');
  });

  it('carries the configuration set and SES tags like the AWS fixtures, and unique event ids', () => {
    const events = sesEventsFor(email(['jane@example.com']), context);
    const mail = events[0]!.detail.mail as { tags: Record<string, string[]> };
    expect(mail.tags).toMatchObject({
      'ses:configuration-set': ['notify-local'],
      notification_id: [notificationId],
      reference: ['order-42'],
    });
    expect(events[0]!.resources).toEqual([
      'arn:aws:ses:us-east-1:000000000000:configuration-set/notify-local',
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});

describe('checkSendRequest (as strict as SES)', () => {
  const sets = ['notify-local'];

  it('accepts tag-safe tags and a known configuration set', () => {
    expect(
      checkSendRequest(
        {
          ConfigurationSetName: 'notify-local',
          EmailTags: [{ Name: 'notification_id', Value: notificationId }],
        },
        sets,
      ),
    ).toEqual({
      ok: true,
      configurationSet: 'notify-local',
      tags: { notification_id: notificationId },
    });
    expect(checkSendRequest({}, sets)).toEqual({ ok: true, tags: {} });
  });

  it.each([
    [{ EmailTags: [{ Name: 'notification-id', Value: 'has space' }] }, 400, 'BadRequestException'],
    [{ EmailTags: [{ Name: 'a.b', Value: 'x' }] }, 400, 'BadRequestException'],
    [{ EmailTags: [{ Name: 'a', Value: 'x'.repeat(257) }] }, 400, 'BadRequestException'],
    [{ EmailTags: [{ Name: 'a', Value: '' }] }, 400, 'BadRequestException'],
    [{ ConfigurationSetName: 'no-such-set' }, 404, 'NotFoundException'],
  ])('refuses %j with %i %s', (body, status, type) => {
    expect(checkSendRequest(body, sets)).toMatchObject({ ok: false, status, type });
  });
});
