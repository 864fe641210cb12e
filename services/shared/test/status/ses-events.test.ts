// The SES event parser on AWS's documented event shapes (fixtures/, one per event type and
// bounce variant, in the EventBridge envelope), hostile input, and the state machine applied
// over sequences of parsed fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { applyEvent, newStatusRecord, type StatusEvent } from '../../src/status/model.ts';
import { classifyBounce, parseSesEvent, type ParsedSesEvent } from '../../src/status/ses-events.ts';

const NID = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const MID = '010001923f5e8a7b-6c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f-000000';
const RCPT = 'recipient@example.com';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8')) as Json;
const raw = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures', `${name}.json`), 'utf8');

function eventOf(parsed: ParsedSesEvent): StatusEvent {
  if (parsed.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(parsed)}`);
  return parsed.event;
}
const parsedFixture = (name: string) => eventOf(parseSesEvent(raw(name)));

describe('parseSesEvent on AWS event fixtures', () => {
  it('Email Sent -> every recipient sent, with the SES message id', () => {
    const parsed = parseSesEvent(raw('send'));
    expect(parsed).toEqual({
      kind: 'event',
      detailType: 'Email Sent',
      event: {
        eventId: '0b8a2f7e-1c3d-4e5f-8a9b-0c1d2e3f4a01',
        notificationId: NID,
        sesMessageId: MID,
        type: 'send',
        at: '2026-12-07T10:00:00.012Z',
        recipients: [],
        everyone: { status: 'sent' },
      },
    });
  });

  it('Email Delivered -> the named recipients delivered, with the SMTP response', () => {
    expect(parsedFixture('delivery')).toMatchObject({
      type: 'delivery',
      at: '2026-12-07T10:00:01.893Z',
      recipients: [
        {
          address: RCPT,
          status: 'delivered',
          smtpStatus: '2.6.0',
          diagnostic: '250 2.6.0 Message received',
        },
      ],
    });
  });

  it('Email Delivery Delayed -> delayed, retryable, with the delay type', () => {
    expect(parsedFixture('delivery-delay')).toMatchObject({
      type: 'delivery_delay',
      delayType: 'TransientCommunicationFailure',
      recipients: [
        {
          address: RCPT,
          status: 'delayed',
          reason: {
            code: 'delay_transient_communication_failure',
            retryable: true,
            detail: 'smtp; 421 4.4.1 Unable to connect to remote host',
          },
          smtpStatus: '4.4.1',
        },
      ],
    });
  });

  it.each([
    [
      'bounce-permanent-general',
      'bounced',
      'mailbox_does_not_exist',
      false,
      'Permanent',
      'General',
    ],
    [
      'bounce-permanent-noemail',
      'bounced',
      'mailbox_does_not_exist',
      false,
      'Permanent',
      'NoEmail',
    ],
    [
      'bounce-permanent-on-account-suppression-list',
      'suppressed',
      'on_suppression_list',
      false,
      'Permanent',
      'OnAccountSuppressionList',
    ],
    ['bounce-transient-mailboxfull', 'bounced', 'mailbox_full', true, 'Transient', 'MailboxFull'],
    ['bounce-undetermined', 'bounced', 'undetermined_bounce', true, 'Undetermined', 'Undetermined'],
  ])('%s -> %s (%s, retryable %s)', (name, status, code, retryable, bounceType, bounceSubType) => {
    const event = parsedFixture(name);
    expect(event).toMatchObject({ type: 'bounce', bounceType, bounceSubType });
    expect(event.recipients).toHaveLength(1);
    expect(event.recipients[0]).toMatchObject({
      address: RCPT,
      status,
      reason: { code, retryable },
    });
    const diagnostic = fixture(name).detail.bounce.bouncedRecipients[0].diagnosticCode;
    expect(event.recipients[0]!.diagnostic).toBe(diagnostic);
    expect(event.recipients[0]!.reason?.detail).toBe(diagnostic);
  });

  it('an undetermined bounce without a DSN has no SMTP fields', () => {
    const r = parsedFixture('bounce-undetermined').recipients[0]!;
    expect(r).toEqual({
      address: RCPT,
      status: 'bounced',
      reason: { code: 'undetermined_bounce', retryable: true },
    });
  });

  it('Email Complaint Received -> a complaint that names the recipient and changes no status', () => {
    const event = parsedFixture('complaint');
    expect(event).toMatchObject({
      type: 'complaint',
      at: '2026-12-07T10:05:00.669Z',
      complaintFeedbackType: 'abuse',
      recipients: [{ address: RCPT }],
    });
    expect(event.recipients[0]!.status).toBeUndefined();
  });

  it('Email Rejected -> every recipient rejected (message_rejected, not retryable)', () => {
    expect(parsedFixture('reject')).toMatchObject({
      type: 'reject',
      everyone: {
        status: 'rejected',
        reason: { code: 'message_rejected', retryable: false, detail: 'Bad content' },
      },
    });
  });

  it('Email Rendering Failed -> every recipient rejected (rendering_failed)', () => {
    expect(parsedFixture('rendering-failure')).toMatchObject({
      type: 'rendering_failure',
      everyone: {
        status: 'rejected',
        reason: {
          code: 'rendering_failed',
          retryable: false,
          detail: "Attribute 'attributeName' is not present in the rendering data.",
        },
      },
    });
  });
});

describe('parseSesEvent: what is not ours', () => {
  it('ignores opens, clicks and subscriptions', () => {
    expect(parseSesEvent(raw('open'))).toEqual({
      kind: 'ignored',
      detailType: 'Email Opened',
      reason: 'Email Opened does not change a status',
    });
  });

  it('ignores other sources and unknown SES detail-types', () => {
    const other = { ...fixture('send'), source: 'aws.ec2' };
    expect(parseSesEvent(other)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringContaining('aws.ec2'),
    });
    const advisor = { ...fixture('send'), 'detail-type': 'Sending Status Disabled' };
    expect(parseSesEvent(advisor)).toMatchObject({ kind: 'ignored' });
  });

  it('ignores an email without the notification_id tag (sent by something else)', () => {
    const event = fixture('delivery');
    delete event.detail.mail.tags.notification_id;
    expect(parseSesEvent(event)).toMatchObject({
      kind: 'ignored',
      reason: expect.stringContaining('notification_id'),
    });
  });
});

describe('parseSesEvent: malformed input, never a throw', () => {
  const mutate = (name: string, change: (e: Json) => void) => {
    const event = fixture(name);
    change(event);
    return parseSesEvent(event);
  };

  it.each<[string, unknown, string]>([
    ['a body that is not JSON', '{"detail-type": ', 'body is not JSON'],
    ['null', 'null', 'not an EventBridge event'],
    ['an array', '[1,2]', 'not an EventBridge event'],
    ['a number', 42, 'not an EventBridge event'],
    [
      'an envelope without an id',
      JSON.stringify({ source: 'aws.ses' }),
      'not an EventBridge event',
    ],
  ])('%s', (_what, input, reason) => {
    const parsed = parseSesEvent(input);
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.reason).toContain(reason);
  });

  it.each<[string, string, (e: Json) => void, string]>([
    ['detail missing', 'send', (e) => delete e.detail, 'detail'],
    [
      'eventType disagreeing with detail-type',
      'delivery',
      (e) => (e.detail.eventType = 'Bounce'),
      'expected "Delivery"',
    ],
    ['no mail object', 'bounce-permanent-general', (e) => delete e.detail.mail, 'mail'],
    [
      'a timestamp that is not a time',
      'delivery',
      (e) => (e.detail.delivery.timestamp = 'yesterday'),
      'delivery.timestamp',
    ],
    [
      'no bounced recipients',
      'bounce-permanent-general',
      (e) => (e.detail.bounce.bouncedRecipients = []),
      'bouncedRecipients',
    ],
    [
      'a recipient address that is a number',
      'complaint',
      (e) => (e.detail.complaint.complainedRecipients = [{ emailAddress: 7 }]),
      'emailAddress',
    ],
    [
      'a notification_id that is not a UUID',
      'send',
      (e) => (e.detail.mail.tags.notification_id = ['../../etc']),
      'exactly one UUID',
    ],
    [
      'two notification ids',
      'send',
      (e) => (e.detail.mail.tags.notification_id = [NID, NID]),
      'exactly one UUID',
    ],
    [
      'tags that are not lists',
      'send',
      (e) => (e.detail.mail.tags = { notification_id: NID }),
      'tags',
    ],
    [
      'a huge diagnostic',
      'bounce-permanent-general',
      (e) => (e.detail.bounce.bouncedRecipients[0].diagnosticCode = 'x'.repeat(100_000)),
      'diagnosticCode',
    ],
  ])('%s', (_what, name, change, reason) => {
    const parsed = mutate(name, change);
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.reason).toContain(reason);
  });

  it('answers every JSON value and every mutated fixture without throwing', () => {
    const names = [
      'send',
      'delivery',
      'bounce-permanent-general',
      'complaint',
      'delivery-delay',
      'reject',
    ];
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom(...names),
        fc.array(fc.string(), { maxLength: 4 }),
        (value, name, path) => {
          const base = fixture(name);
          // Replace one nested field (by a path of keys that may or may not exist) with the value.
          let target: Json = base;
          for (const key of path.slice(0, -1)) {
            if (target[key] === null || typeof target[key] !== 'object') break;
            target = target[key];
          }
          target[path.at(-1) ?? 'detail'] = value;
          for (const input of [value, JSON.stringify(value), base, JSON.stringify(base)]) {
            const parsed = parseSesEvent(input);
            expect(['event', 'ignored', 'malformed']).toContain(parsed.kind);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes the address out of a display-name form', () => {
    const event = fixture('bounce-permanent-general');
    event.detail.bounce.bouncedRecipients[0].emailAddress = 'Jane Doe <Jane@Example.com>';
    expect(eventOf(parseSesEvent(event)).recipients[0]!.address).toBe('Jane@Example.com');
  });
});

describe('classifyBounce', () => {
  it.each([
    ['Permanent', 'General', '5.1.2', 'bounced', 'domain_does_not_exist', false],
    ['Permanent', 'General', '5.7.1', 'bounced', 'permanent_bounce', false],
    ['Permanent', 'Suppressed', '5.1.1', 'bounced', 'on_global_suppression_list', false],
    ['Transient', 'MessageTooLarge', '5.3.4', 'bounced', 'message_too_large', true],
    ['Transient', 'General', undefined, 'bounced', 'transient_bounce', true],
    ['SomethingNew', 'Whatever', undefined, 'bounced', 'undetermined_bounce', true],
  ] as const)('%s/%s (%s) -> %s %s', (type, sub, smtp, status, code, retryable) => {
    expect(classifyBounce(type, sub, smtp)).toEqual({ status, reason: { code, retryable } });
  });
});

describe('applyEvent over fixture sequences', () => {
  const created = '2026-12-07T09:59:59.000Z';
  const fresh = (addresses = [RCPT]) => newStatusRecord(NID, addresses, created);
  const run = (names: string[], record = fresh()) =>
    names.reduce((rec, name) => applyEvent(rec, parsedFixture(name)).record, record);

  it('send -> delivery ends delivered with the SES message id', () => {
    const rec = run(['send', 'delivery']);
    expect(rec).toMatchObject({
      status: 'delivered',
      sesMessageId: MID,
      updatedAt: '2026-12-07T10:00:01.893Z',
    });
  });

  it('a duplicate event changes nothing', () => {
    const once = run(['send', 'delivery']);
    const again = applyEvent(once, parsedFixture('delivery'));
    expect(again.changed).toBe(false);
    expect(again.record).toBe(once);
    expect(applyEvent(once, parsedFixture('send')).changed).toBe(false);
  });

  it('out of order: a delivery before its send ends delivered; the late send is harmless', () => {
    const rec = run(['delivery', 'send']);
    expect(rec.status).toBe('delivered');
    expect(run(['delivery-delay', 'send', 'delivery']).status).toBe('delivered');
    expect(run(['delivery', 'delivery-delay']).status).toBe('delivered');
  });

  it('delivered -> bounced is applied, with the bounce reason', () => {
    const delivered = run(['send', 'delivery']);
    const result = applyEvent(delivered, parsedFixture('bounce-permanent-general'));
    expect(result.transitions).toEqual([{ address: RCPT, from: 'delivered', to: 'bounced' }]);
    expect(result.record.status).toBe('bounced');
    expect(result.record.reason).toMatchObject({
      code: 'mailbox_does_not_exist',
      retryable: false,
    });
  });

  it('a final status does not give way to another final one (bounced, then delivered late)', () => {
    expect(run(['send', 'bounce-permanent-general', 'delivery']).status).toBe('bounced');
    expect(run(['reject', 'delivery']).status).toBe('rejected');
  });

  it('suppressed, rejected and rendering failure reach their states', () => {
    expect(run(['send', 'bounce-permanent-on-account-suppression-list'])).toMatchObject({
      status: 'suppressed',
      reason: { code: 'on_suppression_list', retryable: false },
    });
    expect(run(['reject']).reason).toMatchObject({ code: 'message_rejected' });
    expect(run(['send', 'rendering-failure']).reason).toMatchObject({ code: 'rendering_failed' });
  });

  it('delayed is not final: delivery follows it', () => {
    const delayed = run(['send', 'delivery-delay']);
    expect(delayed).toMatchObject({ status: 'delayed', reason: { retryable: true } });
    const delivered = run(['delivery'], delayed);
    expect(delivered.status).toBe('delivered');
    expect(delivered.reason).toBeUndefined();
  });

  it('a complaint after delivery keeps delivered and sets complainedAt once', () => {
    const rec = run(['send', 'delivery', 'complaint', 'complaint']);
    expect(rec).toMatchObject({ status: 'delivered', complainedAt: '2026-12-07T10:05:00.669Z' });
  });

  it('a complaint with subtype OnAccountSuppressionList suppresses and is no new complaint', () => {
    const event = fixture('complaint');
    event.detail.complaint.complaintSubType = 'OnAccountSuppressionList';
    const rec = applyEvent(run(['send']), eventOf(parseSesEvent(event))).record;
    expect(rec.status).toBe('suppressed');
    expect(rec.complainedAt).toBeUndefined();
  });

  it('two recipients: one bounces, one is delivered; per-recipient states and the derived status', () => {
    const other = 'second@example.com';
    const send = fixture('send');
    send.detail.mail.destination = [RCPT, other];
    const delivery = fixture('delivery');
    delivery.detail.delivery.recipients = [other];
    let rec = fresh([RCPT, other]);
    rec = applyEvent(rec, eventOf(parseSesEvent(send))).record;
    rec = applyEvent(rec, eventOf(parseSesEvent(delivery))).record;
    expect(rec.status).toBe('sent'); // the slowest recipient is still only sent
    rec = applyEvent(rec, parsedFixture('bounce-permanent-general')).record;
    expect(rec.status).toBe('delivered');
    expect(rec.recipients.map((r) => [r.address, r.status])).toEqual([
      [RCPT, 'bounced'],
      [other, 'delivered'],
    ]);
  });
});
