// Idempotency-Key support. A record per (client, key) in DynamoDB, created with a conditional
// put, holds a SHA-256 fingerprint of the canonical request, the state and the response. A retry
// with the same body gets the first response again (nothing is enqueued twice); a different body
// under the same key is refused. Requests without the header never reach this module.
import { createHash } from 'node:crypto';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { stringify } from 'safe-stable-stringify';
import { withDeadline } from '@notify/shared';
import { ApiError } from './errors.ts';
import type { NotificationRequest } from './request-schema.ts';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
const PRINTABLE_ASCII = /^[\x20-\x7e]{1,255}$/;

/** Returns the key, undefined when absent, or throws a 400 naming the rule. */
export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (!PRINTABLE_ASCII.test(value)) {
    throw new ApiError(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key is invalid', {
      details: [
        {
          field: 'Idempotency-Key',
          rule: 'printable_ascii_1_255',
          message: 'must be 1 to 255 printable ASCII characters',
        },
      ],
    });
  }
  return value;
}

/**
 * SHA-256 of the request after validation and normalisation, serialised with sorted keys: a
 * retry that differs only in key order or in `"to": "a@x"` versus `"to": ["a@x"]` is the same
 * request.
 */
export function requestFingerprint(request: NotificationRequest): string {
  return createHash('sha256')
    .update(stringify(request) ?? '')
    .digest('hex');
}

/**
 * `unknown`: the enqueue timed out after the request went to SQS, so the message may or may not
 * be queued. The key is spent: no later request under it may queue a second copy.
 */
export type IdempotencyState = 'in_progress' | 'completed' | 'unknown';

export interface IdempotencyRecord {
  fingerprint: string;
  state: IdempotencyState;
  notificationId: string;
  responseStatus?: number;
  responseBody?: string;
  /** Epoch seconds; DynamoDB's TTL attribute, also checked on read (TTL deletes lazily). */
  expiresAt: number;
}

export type ClaimResult =
  | { outcome: 'claimed' }
  | { outcome: 'replay'; status: number; body: unknown; notificationId: string }
  | { outcome: 'mismatch' }
  | { outcome: 'in_progress' }
  | { outcome: 'unknown'; notificationId: string };

/** What an existing, unexpired record means for a new request with `fingerprint`. */
export function judgeExisting(
  record: IdempotencyRecord,
  fingerprint: string,
  nowSeconds: number,
): ClaimResult | { outcome: 'expired' } {
  if (record.expiresAt <= nowSeconds) return { outcome: 'expired' };
  if (record.fingerprint !== fingerprint) return { outcome: 'mismatch' };
  if (record.state === 'unknown')
    return { outcome: 'unknown', notificationId: record.notificationId };
  if (record.state !== 'completed' || record.responseStatus === undefined) {
    return { outcome: 'in_progress' };
  }
  let body: unknown;
  try {
    body = JSON.parse(record.responseBody ?? 'null');
  } catch {
    body = { id: record.notificationId, status: 'queued' };
  }
  return {
    outcome: 'replay',
    status: record.responseStatus,
    body,
    notificationId: record.notificationId,
  };
}

export interface ClaimInput {
  /** The client (token owner): keys of different clients never collide. */
  scope: string;
  key: string;
  fingerprint: string;
  notificationId: string;
}

export interface IdempotencyStore {
  claim(input: ClaimInput): Promise<ClaimResult>;
  complete(input: ClaimInput, response: { status: number; body: unknown }): Promise<void>;
  /** Deletes our own in-progress record so the client can retry after a failed enqueue. */
  release(input: ClaimInput): Promise<void>;
  /** Spends the key after an enqueue whose outcome SQS did not tell (see `unknown`). */
  markUnknown(input: ClaimInput): Promise<void>;
}

export interface DynamoIdempotencyStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  ttlSeconds: number;
  /**
   * How long an in-progress record blocks its key. A request that died between claim and
   * enqueue would otherwise block the key for the whole TTL; the lease is longer than any
   * request can take (SDK timeouts and retries included; config.ts checks it).
   */
  inProgressLeaseSeconds?: number;
  /** Deadline of one DynamoDB call, SDK retries included (ms). */
  callDeadlineMs?: number;
  nowMs?: () => number;
}

export class DynamoIdempotencyStore implements IdempotencyStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #leaseSeconds: number;
  readonly #nowMs: () => number;
  readonly #callDeadlineMs: number;

  constructor(options: DynamoIdempotencyStoreOptions) {
    this.#client = options.client;
    this.#table = options.table;
    this.#ttlSeconds = options.ttlSeconds;
    this.#leaseSeconds = Math.min(options.inProgressLeaseSeconds ?? 120, options.ttlSeconds);
    this.#nowMs = options.nowMs ?? Date.now;
    this.#callDeadlineMs = options.callDeadlineMs ?? 3_000;
  }

  #deadline() {
    return withDeadline(this.#callDeadlineMs);
  }

  #nowSeconds(): number {
    return Math.floor(this.#nowMs() / 1000);
  }

  static partitionKey(scope: string, key: string): string {
    return `${scope}#${key}`;
  }

  async claim(input: ClaimInput): Promise<ClaimResult> {
    const pk = DynamoIdempotencyStore.partitionKey(input.scope, input.key);
    if (await this.#put(pk, input)) return { outcome: 'claimed' };
    const now = this.#nowSeconds();
    const existing = await this.#client.send(
      new GetCommand({ TableName: this.#table, Key: { pk }, ConsistentRead: true }),
      this.#deadline(),
    );
    const record = existing.Item as IdempotencyRecord | undefined;
    // Our own record: the SDK retried a put whose first attempt had landed after all.
    if (record?.notificationId === input.notificationId && record.state === 'in_progress') {
      return { outcome: 'claimed' };
    }
    if (record !== undefined) {
      const verdict = judgeExisting(record, input.fingerprint, now);
      if (verdict.outcome !== 'expired') return verdict;
    }
    // The record expired or was released between our put and our read: one more try, and at
    // most three calls in all, so the claim fits the request's deadline.
    return (await this.#put(pk, input)) ? { outcome: 'claimed' } : { outcome: 'in_progress' };
  }

  /** The conditional put of a claim; false when another record holds the key. */
  async #put(pk: string, input: ClaimInput): Promise<boolean> {
    const now = this.#nowSeconds();
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk,
            fingerprint: input.fingerprint,
            state: 'in_progress',
            notificationId: input.notificationId,
            createdAt: new Date(this.#nowMs()).toISOString(),
            expiresAt: now + this.#leaseSeconds,
          },
          // An expired record is as good as none: TTL deletion can lag by days.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': now },
        }),
        this.#deadline(),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async complete(input: ClaimInput, response: { status: number; body: unknown }): Promise<void> {
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: DynamoIdempotencyStore.partitionKey(input.scope, input.key) },
        UpdateExpression:
          'SET #state = :completed, responseStatus = :status, responseBody = :body, expiresAt = :expiresAt',
        ConditionExpression: 'notificationId = :id',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':completed': 'completed',
          ':status': response.status,
          ':body': JSON.stringify(response.body),
          ':expiresAt': this.#nowSeconds() + this.#ttlSeconds,
          ':id': input.notificationId,
        },
      }),
      this.#deadline(),
    );
  }

  async markUnknown(input: ClaimInput): Promise<void> {
    await this.#client.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: DynamoIdempotencyStore.partitionKey(input.scope, input.key) },
        // Kept as long as a completed record: the key must never queue a second copy.
        UpdateExpression: 'SET #state = :unknown, expiresAt = :expiresAt',
        ConditionExpression: 'notificationId = :id',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':unknown': 'unknown',
          ':expiresAt': this.#nowSeconds() + this.#ttlSeconds,
          ':id': input.notificationId,
        },
      }),
      this.#deadline(),
    );
  }

  async release(input: ClaimInput): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: DynamoIdempotencyStore.partitionKey(input.scope, input.key) },
          // Never delete a record another request claimed after ours expired.
          ConditionExpression: 'notificationId = :id',
          ExpressionAttributeValues: { ':id': input.notificationId },
        }),
        this.#deadline(),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
