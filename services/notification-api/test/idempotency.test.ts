import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ApiError } from '../src/errors.ts';
import {
  DynamoIdempotencyStore,
  judgeExisting,
  readIdempotencyKey,
  requestFingerprint,
  type IdempotencyRecord,
} from '../src/idempotency.ts';
import { parseNotificationRequest, type NotificationRequest } from '../src/request-schema.ts';

function request(body: unknown): NotificationRequest {
  const parsed = parseNotificationRequest(body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.details));
  return parsed.request;
}

describe('Idempotency-Key header', () => {
  it('accepts 1..255 printable ASCII characters', () => {
    expect(readIdempotencyKey(undefined)).toBeUndefined();
    expect(readIdempotencyKey('order-42:attempt A')).toBe('order-42:attempt A');
    expect(readIdempotencyKey('k'.repeat(255))).toHaveLength(255);
  });

  it.each([[''], ['k'.repeat(256)], ['tab\there'], ['caf\u00e9'], ['nul\u0000']])(
    'rejects %p with a 400 naming the header and the rule',
    (value) => {
      let thrown: unknown;
      try {
        readIdempotencyKey(value);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ApiError);
      expect(thrown).toMatchObject({
        status: 400,
        code: 'INVALID_IDEMPOTENCY_KEY',
        details: [expect.objectContaining({ field: 'Idempotency-Key' })],
      });
    },
  );
});

describe('request fingerprint', () => {
  const base = { to: 'a@example.com', subject: 's', text: 't', metadata: { x: '1', y: '2' } };

  it('is the same for the same request in another spelling', () => {
    const a = requestFingerprint(request(base));
    expect(requestFingerprint(request({ ...base, to: ['a@example.com'] }))).toBe(a);
    expect(
      requestFingerprint(
        request({ metadata: { y: '2', x: '1' }, text: 't', subject: 's', to: 'a@example.com' }),
      ),
    ).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when anything that matters differs', () => {
    const a = requestFingerprint(request(base));
    expect(requestFingerprint(request({ ...base, text: 'T' }))).not.toBe(a);
    expect(requestFingerprint(request({ ...base, cc: 'c@example.com' }))).not.toBe(a);
    expect(requestFingerprint(request({ ...base, reference: 'r' }))).not.toBe(a);
  });
});

describe('judging an existing record', () => {
  const record: IdempotencyRecord = {
    fingerprint: 'f1',
    state: 'completed',
    notificationId: 'id-1',
    responseStatus: 202,
    responseBody: JSON.stringify({ id: 'id-1', status: 'queued' }),
    expiresAt: 1000,
  };

  it('replays a completed request with the same body', () => {
    expect(judgeExisting(record, 'f1', 999)).toEqual({
      outcome: 'replay',
      status: 202,
      body: { id: 'id-1', status: 'queued' },
      notificationId: 'id-1',
    });
  });

  it('refuses a different body, even while in progress', () => {
    expect(judgeExisting(record, 'f2', 999)).toEqual({ outcome: 'mismatch' });
    expect(judgeExisting({ ...record, state: 'in_progress' }, 'f2', 999)).toEqual({
      outcome: 'mismatch',
    });
  });

  it('reports a request still in progress', () => {
    expect(judgeExisting({ ...record, state: 'in_progress' }, 'f1', 999)).toEqual({
      outcome: 'in_progress',
    });
  });

  it('reports a key whose enqueue outcome is unknown, with its notification id', () => {
    expect(judgeExisting({ ...record, state: 'unknown' }, 'f1', 999)).toEqual({
      outcome: 'unknown',
      notificationId: 'id-1',
    });
  });

  it('ignores an expired record that TTL has not deleted yet', () => {
    expect(judgeExisting(record, 'f1', 1000)).toEqual({ outcome: 'expired' });
    expect(judgeExisting(record, 'f2', 5000)).toEqual({ outcome: 'expired' });
  });
});

describe('DynamoDB idempotency store', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const now = 1_700_000_000_000;
  const store = new DynamoIdempotencyStore({
    client,
    table: 'notify-test-idempotency',
    ttlSeconds: 86_400,
    inProgressLeaseSeconds: 120,
    nowMs: () => now,
  });
  const input = { scope: 'billing', key: 'k-1', fingerprint: 'f1', notificationId: 'id-1' };
  const conflict = () =>
    new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
    });

  beforeEach(() => ddb.reset());

  it('claims a new key with a conditional put that also takes over expired records', async () => {
    ddb.on(PutCommand).resolves({});
    await expect(store.claim(input)).resolves.toEqual({ outcome: 'claimed' });
    const put = ddb.commandCalls(PutCommand)[0].args[0].input;
    expect(put).toMatchObject({
      TableName: 'notify-test-idempotency',
      Item: {
        pk: 'billing#k-1',
        fingerprint: 'f1',
        state: 'in_progress',
        notificationId: 'id-1',
        expiresAt: now / 1000 + 120,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': now / 1000 },
    });
  });

  it('replays, refuses or reports in-progress from the existing record', async () => {
    ddb.on(PutCommand).rejects(conflict());
    const existing = {
      pk: 'billing#k-1',
      fingerprint: 'f1',
      state: 'completed',
      notificationId: 'id-0',
      responseStatus: 202,
      responseBody: '{"id":"id-0","status":"queued"}',
      expiresAt: now / 1000 + 100,
    };
    ddb.on(GetCommand).resolves({ Item: existing });
    await expect(store.claim(input)).resolves.toMatchObject({
      outcome: 'replay',
      notificationId: 'id-0',
    });
    expect(ddb.commandCalls(GetCommand)[0].args[0].input).toMatchObject({ ConsistentRead: true });
    await expect(store.claim({ ...input, fingerprint: 'f2' })).resolves.toEqual({
      outcome: 'mismatch',
    });
    ddb.on(GetCommand).resolves({ Item: { ...existing, state: 'in_progress' } });
    await expect(store.claim(input)).resolves.toEqual({ outcome: 'in_progress' });
  });

  it('tries again when the conflicting record vanished before it could be read', async () => {
    ddb.on(PutCommand).rejectsOnce(conflict()).resolves({});
    ddb.on(GetCommand).resolves({});
    await expect(store.claim(input)).resolves.toEqual({ outcome: 'claimed' });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(2);
  });

  it('recognises its own record when the SDK retried a put whose first attempt had landed', async () => {
    ddb.on(PutCommand).rejects(conflict());
    ddb.on(GetCommand).resolves({
      Item: {
        pk: 'billing#k-1',
        fingerprint: 'f1',
        state: 'in_progress',
        notificationId: 'id-1',
        expiresAt: now / 1000 + 120,
      },
    });
    await expect(store.claim(input)).resolves.toEqual({ outcome: 'claimed' });
  });

  it('makes at most three calls for a claim (put, get, put)', async () => {
    ddb.on(PutCommand).rejects(conflict());
    ddb.on(GetCommand).resolves({});
    await expect(store.claim(input)).resolves.toEqual({ outcome: 'in_progress' });
    expect(ddb.calls()).toHaveLength(3);
  });

  it('spends the key for the full TTL when the enqueue outcome is unknown', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.markUnknown(input);
    expect(ddb.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      Key: { pk: 'billing#k-1' },
      ConditionExpression: 'notificationId = :id',
      ExpressionAttributeValues: {
        ':unknown': 'unknown',
        ':expiresAt': now / 1000 + 86_400,
        ':id': 'id-1',
      },
    });
  });

  it('passes other DynamoDB errors on (the route answers 503)', async () => {
    ddb.on(PutCommand).rejects(new Error('socket hang up'));
    await expect(store.claim(input)).rejects.toThrow('socket hang up');
  });

  it('completes with the response and the full TTL', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store.complete(input, { status: 202, body: { id: 'id-1', status: 'queued' } });
    expect(ddb.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      Key: { pk: 'billing#k-1' },
      ConditionExpression: 'notificationId = :id',
      ExpressionAttributeValues: {
        ':completed': 'completed',
        ':status': 202,
        ':body': '{"id":"id-1","status":"queued"}',
        ':expiresAt': now / 1000 + 86_400,
        ':id': 'id-1',
      },
    });
  });

  it('releases only its own record', async () => {
    ddb.on(DeleteCommand).resolves({});
    await store.release(input);
    expect(ddb.commandCalls(DeleteCommand)[0].args[0].input).toMatchObject({
      Key: { pk: 'billing#k-1' },
      ConditionExpression: 'notificationId = :id',
      ExpressionAttributeValues: { ':id': 'id-1' },
    });
    ddb.on(DeleteCommand).rejects(conflict());
    await expect(store.release(input)).resolves.toBeUndefined();
  });
});
