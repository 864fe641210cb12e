import {
  InvalidCursorError,
  decodeCursor,
  encodeCursor,
  fromEventItem,
  fromStateItem,
  toEventItem,
  toStateItem,
  type StoredNotification,
} from '../../src/status/store-items.ts';
import type { StatusEvent } from '../../src/status/model.ts';

const stored: StoredNotification = {
  id: '0b9f4a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
  clientId: 'billing',
  reference: 'invoice-42',
  status: 'delivered',
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:02.000Z',
  sesMessageId: '0100018f-abc',
  recipients: [
    { address: 'Jane@Example.com', status: 'delivered', updatedAt: '2026-12-07T10:00:02.000Z' },
  ],
  version: 3,
  changedAt: '2026-12-07T10:00:02.500Z',
  expiresAt: 1_800_000_000,
};

describe('state item mapping', () => {
  it('writes every index key the queries need and reads the record back unchanged', () => {
    const item = toStateItem(stored);
    expect(item).toMatchObject({
      pk: `N#${stored.id}`,
      sk: 'STATE',
      gsi1pk: 'C#billing#R#invoice-42',
      gsi1sk: `2026-12-07T10:00:00.000Z#${stored.id}`,
      gsi2pk: 'M#0100018f-abc',
      gsi3pk: 'C#billing',
      gsi3sk: `2026-12-07T10:00:02.500Z#${stored.id}`,
      expiresAt: 1_800_000_000,
    });
    expect(fromStateItem(item)).toEqual(stored);
  });

  it('leaves out the reference and SES message index keys until there is a value', () => {
    const { reference: _r, sesMessageId: _m, ...bare } = stored;
    const item = toStateItem(bare);
    expect(item).not.toHaveProperty('gsi1pk');
    expect(item).not.toHaveProperty('gsi1sk');
    expect(item).not.toHaveProperty('gsi2pk');
    expect(fromStateItem(item)).toEqual(bare);
  });

  it('refuses items it did not write', () => {
    expect(fromStateItem(undefined)).toBeUndefined();
    expect(fromStateItem({ ...toStateItem(stored), status: 'exploded' })).toBeUndefined();
    expect(fromStateItem({ ...toStateItem(stored), sk: 'E#x' })).toBeUndefined();
    const { version: _v, ...noVersion } = toStateItem(stored);
    expect(fromStateItem(noVersion)).toBeUndefined();
  });
});

describe('event item mapping', () => {
  it('keys events by time then id, so the timeline reads oldest first', () => {
    const event: StatusEvent = {
      eventId: 'ev-1',
      notificationId: stored.id,
      type: 'bounce',
      at: '2026-12-07T10:00:03.000Z',
      sesMessageId: '0100018f-abc',
      bounceType: 'Permanent',
      bounceSubType: 'General',
      recipients: [{ address: 'jane@example.com', status: 'bounced', diagnostic: 'smtp; 550' }],
    };
    const item = toEventItem(event, 123);
    expect(item).toMatchObject({ pk: `N#${stored.id}`, sk: 'E#2026-12-07T10:00:03.000Z#ev-1' });
    const { notificationId: _n, ...expected } = event;
    expect(fromEventItem(item)).toEqual(expected);
    expect(fromEventItem({ ...item, sk: 'STATE' })).toBeUndefined();
  });
});

describe('list cursor', () => {
  const cursor = {
    index: 'by-change' as const,
    after: `2026-12-07T10:00:02.500Z#${stored.id}`,
    query: 'abc',
  };

  it('round-trips as URL-safe text', () => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
    expect(decodeCursor(encodeCursor({ ...cursor, after: '2026-12-07T10:00:00.000Z' }))).toEqual({
      ...cursor,
      after: '2026-12-07T10:00:00.000Z',
    });
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['an array', b64([1])],
    ['unknown index', b64({ i: 'by-ses-message', a: cursor.after, q: 'abc' })],
    ['position not a sort key', b64({ i: 'by-change', a: 'N#x', q: 'abc' })],
    ['position with two ids', b64({ i: 'by-change', a: `${cursor.after}#x`, q: 'abc' })],
    ['query missing', b64({ i: 'by-change', a: cursor.after })],
    ['too long', 'A'.repeat(5000)],
  ])('refuses a cursor that is %s', (_what, text) => {
    expect(() => decodeCursor(text)).toThrow(InvalidCursorError);
  });
});
