import {
  applyEvent,
  canTransition,
  deriveStatus,
  newStatusRecord,
  STATUSES,
  type StatusEvent,
} from '../../src/status/model.ts';

const id = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const t0 = '2026-12-07T00:00:00.000Z';
const ev = (over: Partial<StatusEvent>): StatusEvent => ({
  eventId: 'e1',
  notificationId: id,
  type: 'send',
  at: '2026-12-07T00:00:01.000Z',
  recipients: [],
  ...over,
});

describe('status state machine', () => {
  it('moves forward only by rank, with delivered -> bounced as the one exception', () => {
    const allowed = STATUSES.flatMap((from) =>
      STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed).toEqual([
      'queued->sent',
      'queued->delayed',
      'queued->delivered',
      'queued->bounced',
      'queued->suppressed',
      'queued->rejected',
      'queued->failed',
      'sent->delayed',
      'sent->delivered',
      'sent->bounced',
      'sent->suppressed',
      'sent->rejected',
      'sent->failed',
      'delayed->delivered',
      'delayed->bounced',
      'delayed->suppressed',
      'delayed->rejected',
      'delayed->failed',
      'delivered->bounced',
    ]);
  });

  it('ignores a duplicate and a late event, and keeps delivered -> bounced', () => {
    const rec = newStatusRecord(id, ['a@example.com'], t0);
    const sent = applyEvent(rec, ev({ everyone: { status: 'sent' }, sesMessageId: 'm1' }));
    expect(sent.record.status).toBe('sent');
    expect(applyEvent(sent.record, ev({ everyone: { status: 'sent' } })).changed).toBe(false);
    const delivered = applyEvent(
      sent.record,
      ev({ type: 'delivery', recipients: [{ address: 'A@example.com', status: 'delivered' }] }),
    );
    expect(delivered.record.status).toBe('delivered');
    expect(applyEvent(delivered.record, ev({ everyone: { status: 'sent' } })).changed).toBe(false);
    const bounced = applyEvent(
      delivered.record,
      ev({
        type: 'bounce',
        recipients: [
          {
            address: 'a@example.com',
            status: 'bounced',
            reason: { code: 'mailbox_does_not_exist', retryable: false },
          },
        ],
      }),
    );
    expect(bounced.transitions).toEqual([
      { address: 'a@example.com', from: 'delivered', to: 'bounced' },
    ]);
    expect(bounced.record.reason).toEqual({ code: 'mailbox_does_not_exist', retryable: false });
  });

  it('records a complaint without changing the status', () => {
    const rec = newStatusRecord(id, ['a@example.com'], t0);
    const r = applyEvent(
      rec,
      ev({
        type: 'complaint',
        at: '2026-12-07T00:05:00.000Z',
        recipients: [{ address: 'a@example.com' }],
      }),
    );
    expect(r.record.status).toBe('queued');
    expect(r.record.complainedAt).toBe('2026-12-07T00:05:00.000Z');
    expect(r.transitions).toEqual([]);
  });

  it('derives the notification status from its recipients', () => {
    const at = t0;
    expect(
      deriveStatus([
        { address: 'a', status: 'delivered', updatedAt: at },
        { address: 'b', status: 'delayed', updatedAt: at },
      ]).status,
    ).toBe('delayed');
    expect(
      deriveStatus([
        { address: 'a', status: 'bounced', updatedAt: at },
        { address: 'b', status: 'delivered', updatedAt: at },
      ]).status,
    ).toBe('delivered');
    expect(
      deriveStatus([
        { address: 'a', status: 'failed', updatedAt: at },
        {
          address: 'b',
          status: 'suppressed',
          updatedAt: at,
          reason: { code: 'on_suppression_list', retryable: false },
        },
      ]),
    ).toEqual({ status: 'suppressed', reason: { code: 'on_suppression_list', retryable: false } });
  });
});
