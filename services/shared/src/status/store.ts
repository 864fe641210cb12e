// The notification status store on DynamoDB (item mapping in store-items.ts, table design in
// services/notification-api/README.md). New records go out in BatchWriteItem calls through a
// group-commit batcher, so the API's POST gains no round trip of its own. A receive batch of
// events costs one BatchWriteItem (timeline items) and one BatchGetItem (records), then one
// conditional write per record on the version read, so concurrent consumers never lose an update
// and the model's forward-only rule holds.
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { withDeadline } from '../aws.ts';
import { GroupCommitBatcher, type EntryOutcome } from '../group-commit.ts';
import {
  applyEvent,
  newStatusRecord,
  type Status,
  type StatusEvent,
  type Transition,
} from './model.ts';
import {
  INDEX_BY_CHANGE,
  INDEX_BY_REFERENCE,
  InvalidCursorError,
  STATE_SK,
  clientPk,
  decodeCursor,
  encodeCursor,
  fromEventItem,
  fromStateItem,
  notificationPk,
  referencePk,
  toEventItem,
  toStateItem,
  type ListCursor,
  type ListIndex,
  type StoredEvent,
  type StoredNotification,
} from './store-items.ts';

export { InvalidCursorError };
export type { StoredEvent, StoredNotification };

export interface NewNotification {
  id: string;
  clientId: string;
  reference?: string;
  addresses: string[];
  /** ISO 8601 instant. */
  createdAt: string;
}

export interface ListQuery {
  reference?: string;
  status?: Status;
  /** ISO 8601 instant: the change feed, every record the store changed at or after it. */
  updatedSince?: string;
  cursor?: string;
  limit: number;
}

export interface ListPage {
  items: StoredNotification[];
  next?: string;
}

export type ApplyOutcome =
  | { outcome: 'applied'; transitions: Transition[]; record: StoredNotification }
  | { outcome: 'unchanged' }
  | { outcome: 'unknown_notification' };

/** One group's answer in applyEventBatch: its outcomes, or why it failed (it comes back). */
export type EventGroupResult =
  { ok: true; outcomes: ApplyOutcome[] } | { ok: false; error: unknown };

/** BatchWriteItem left items unprocessed until the deadline: DynamoDB is throttling or down. */
export class StatusStoreUnavailableError extends Error {
  override name = 'StatusStoreUnavailableError';
}

/** Every attempt of an update lost the race to another writer of the same record. */
export class StatusVersionConflictError extends Error {
  override name = 'StatusVersionConflictError';
}

export interface StatusStoreOptions {
  client: DynamoDBDocumentClient;
  table: string;
  /** How long records and their events are kept (and served). */
  retentionDays: number;
  /** Deadline of one DynamoDB call, SDK retries included (ms). */
  callDeadlineMs?: number;
  /**
   * Deadline of one batched call (a create's BatchWriteItem, a batch's event items or its
   * BatchGetItem), every retry of unprocessed items included (ms).
   */
  createDeadlineMs?: number;
  /** BatchWriteItem calls in flight at once. */
  createMaxInFlight?: number;
  /** Attempts of one event's read-apply-write cycle when other writers win the version race. */
  maxUpdateAttempts?: number;
  /**
   * The change feed serves records changed at least this long ago, so that a write stamped a
   * moment earlier by another task (clock skew, index propagation) cannot land behind a position
   * a client has already passed.
   */
  feedSettleMs?: number;
  nowMs?: () => number;
}

const BATCH_WRITE_MAX_ITEMS = 25;
const BATCH_GET_MAX_KEYS = 100;
const MAX_LIST_LIMIT = 100;
/** Queries one list request may make when filters skip most items (DynamoDB filters after Limit). */
const MAX_QUERIES_PER_LIST = 5;

export class StatusStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionSeconds: number;
  readonly #callDeadlineMs: number;
  readonly #createDeadlineMs: number;
  readonly #maxUpdateAttempts: number;
  readonly #feedSettleMs: number;
  readonly #nowMs: () => number;
  readonly #creates: GroupCommitBatcher<Record<string, unknown>, void>;

  constructor(options: StatusStoreOptions) {
    if (!(options.retentionDays > 0)) throw new RangeError('retentionDays must be > 0');
    this.#client = options.client;
    this.#table = options.table;
    this.#retentionSeconds = Math.round(options.retentionDays * 86_400);
    this.#callDeadlineMs = options.callDeadlineMs ?? 3_000;
    this.#createDeadlineMs = options.createDeadlineMs ?? this.#callDeadlineMs;
    this.#maxUpdateAttempts = options.maxUpdateAttempts ?? 8;
    this.#feedSettleMs = options.feedSettleMs ?? 2_000;
    this.#nowMs = options.nowMs ?? Date.now;
    this.#creates = new GroupCommitBatcher({
      send: (items) => this.#batchPut(items),
      maxEntries: BATCH_WRITE_MAX_ITEMS,
      maxInFlight: options.createMaxInFlight ?? 8,
    });
  }

  /** Writes the new record (every recipient `queued`); batched with concurrent creates. */
  async create(n: NewNotification): Promise<void> {
    const createdMs = Date.parse(n.createdAt);
    if (Number.isNaN(createdMs)) throw new RangeError('createdAt must be an ISO 8601 instant');
    // One spelling (UTC, milliseconds) in every sort key, so cursors over them stay valid.
    const createdAt = new Date(createdMs).toISOString();
    const record = newStatusRecord(n.id, n.addresses, createdAt);
    const stored: StoredNotification = {
      ...record,
      clientId: n.clientId,
      version: 1,
      changedAt: new Date(this.#nowMs()).toISOString(),
      expiresAt: Math.floor(createdMs / 1000) + this.#retentionSeconds,
    };
    if (n.reference !== undefined) stored.reference = n.reference;
    await this.#creates.add(toStateItem(stored));
  }

  /** Deletes a record whose message never reached the queue. Best effort: false if it failed. */
  async remove(id: string): Promise<boolean> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: notificationPk(id), sk: STATE_SK },
        }),
        this.#deadline(),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** The record, or undefined when unknown, another client's or past its retention. */
  async get(clientId: string, id: string): Promise<StoredNotification | undefined> {
    const stored = await this.#readState(id);
    return stored !== undefined && stored.clientId === clientId ? stored : undefined;
  }

  /** The timeline, oldest first; undefined exactly when get() would be. One query per 1 MB. */
  async events(clientId: string, id: string): Promise<StoredEvent[] | undefined> {
    const events: StoredEvent[] = [];
    let state: StoredNotification | undefined;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': notificationPk(id) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
        this.#deadline(),
      );
      for (const item of page.Items ?? []) {
        if (item.sk === STATE_SK) state = fromStateItem(item);
        else {
          const event = fromEventItem(item);
          if (event !== undefined) events.push(event);
        }
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    if (state === undefined || state.clientId !== clientId || this.#expired(state))
      return undefined;
    return events;
  }

  /**
   * A client's records, in one of two orders:
   * - with `reference` (and no `updatedSince`): by creation time, oldest first;
   * - otherwise by the time the store last changed them, oldest first. A record that changes
   *   while a client pages moves behind the client's position and is served again, never
   *   skipped. With `updatedSince` this is a change feed: `next` is always returned (it is where
   *   the next poll continues), and records changed within the last `feedSettleMs` are held back.
   * Throws InvalidCursorError for a cursor this store did not issue for the same query.
   */
  async list(clientId: string, query: ListQuery): Promise<ListPage> {
    const limit = Math.min(Math.max(1, Math.floor(query.limit)), MAX_LIST_LIMIT);
    const feed = query.updatedSince !== undefined;
    const index: ListIndex =
      query.reference !== undefined && !feed ? INDEX_BY_REFERENCE : INDEX_BY_CHANGE;
    const binding = queryBinding(index, query);
    let after: string | undefined;
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor);
      if (cursor.index !== index || cursor.query !== binding) {
        throw new InvalidCursorError('cursor belongs to a different query');
      }
      after = cursor.after;
    } else if (feed) {
      // `<since>` sorts just before every `<since>#<id>`: the feed includes changes at `since`.
      after = new Date(Date.parse(query.updatedSince!)).toISOString();
    }
    const nowMs = this.#nowMs();
    const horizon = feed ? new Date(nowMs - this.#feedSettleMs).toISOString() : undefined;
    const sortKey = index === INDEX_BY_REFERENCE ? 'gsi1sk' : 'gsi3sk';

    const names: Record<string, string> = {
      '#pk': index === INDEX_BY_REFERENCE ? 'gsi1pk' : 'gsi3pk',
    };
    const values: Record<string, unknown> = {
      ':pk':
        index === INDEX_BY_REFERENCE ? referencePk(clientId, query.reference!) : clientPk(clientId),
      ':now': Math.floor(nowMs / 1000),
    };
    let keyCondition = '#pk = :pk';
    if (after !== undefined) {
      names['#sk'] = sortKey;
      values[':after'] = after;
      keyCondition += ' AND #sk > :after';
    }
    const filters = ['expiresAt > :now'];
    if (query.status !== undefined) {
      names['#status'] = 'status';
      values[':status'] = query.status;
      filters.push('#status = :status');
    }
    if (feed && query.reference !== undefined) {
      names['#reference'] = 'reference';
      values[':reference'] = query.reference;
      filters.push('#reference = :reference');
    }

    const items: StoredNotification[] = [];
    let position = after;
    let more = false;
    let start: Record<string, unknown> | undefined;
    for (let call = 0; call < MAX_QUERIES_PER_LIST && items.length < limit; call += 1) {
      const input: QueryCommandInput = {
        TableName: this.#table,
        IndexName: index,
        KeyConditionExpression: keyCondition,
        FilterExpression: filters.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: limit - items.length,
        ExclusiveStartKey: start,
      };
      const page = await this.#client.send(new QueryCommand(input), this.#deadline());
      let reachedHorizon = false;
      for (const item of page.Items ?? []) {
        const stored = fromStateItem(item);
        const key = item[sortKey];
        if (stored === undefined || typeof key !== 'string') continue;
        if (horizon !== undefined && stored.changedAt > horizon) {
          reachedHorizon = true;
          break;
        }
        items.push(stored);
        position = key;
      }
      start = page.LastEvaluatedKey;
      if (reachedHorizon || start === undefined) {
        more = false;
        break;
      }
      more = true;
      // Items the filter skipped still move the position on, so the next page starts after them.
      const evaluated = start[sortKey];
      if (typeof evaluated === 'string') position = evaluated;
    }
    const page: ListPage = { items };
    if (position !== undefined && (more || feed)) {
      page.next = encodeCursor({ index, after: position, query: binding });
    }
    return page;
  }

  /**
   * Records one event and applies it to the record. The event item is put first (keyed by the
   * event's time and id, so the timeline holds each event once); the record is then updated
   * even for an event already stored, because a consumer that died between the two writes
   * redelivers it, and the model's rules make a repeat change nothing.
   */
  async applyEvent(event: StatusEvent): Promise<ApplyOutcome> {
    const [outcome] = await this.applyEvents([event]);
    return outcome as ApplyOutcome;
  }

  /**
   * applyEvent for several events of ONE notification (SES's Send and Delivery often arrive
   * together): one outcome per event, as if each had been applied in turn, its own transitions
   * and the record as it left it. Throws what applyEventBatch reports for the group.
   */
  async applyEvents(events: StatusEvent[]): Promise<ApplyOutcome[]> {
    if (events.length === 0) return [];
    const [result] = await this.applyEventBatch([events]);
    if (!result!.ok) throw result!.error;
    return result!.outcomes;
  }

  /**
   * The events of one receive batch, as groups of one notification each (distinct
   * notifications). The calls, however many notifications the batch holds:
   * - every event item in BatchWriteItem calls of 25, so the timeline holds each event once
   *   (its key is its time and id: a redelivered event is written over itself);
   * - every record in one consistent BatchGetItem;
   * - then per notification, side by side: its events applied in the order given and the
   *   record written once, conditional on the version read. When another writer won the race
   *   meanwhile, that group reads its record again (GetItem) and re-applies.
   * A group fails alone when its record write fails; every group fails when the event items or
   * the reads fail (the whole batch comes back). Events of a notification the store does not
   * hold (past its retention, another sender's) are removed again, best effort.
   */
  async applyEventBatch(groups: StatusEvent[][]): Promise<EventGroupResult[]> {
    const ids = groups.map((events) => {
      const id = events[0]?.notificationId;
      if (id === undefined) throw new RangeError('applyEventBatch takes non-empty groups');
      if (events.some((e) => e.notificationId !== id)) {
        throw new RangeError('a group of applyEventBatch holds the events of one notification');
      }
      return id;
    });
    if (new Set(ids).size !== ids.length) {
      throw new RangeError('applyEventBatch takes one group per notification');
    }
    if (groups.length === 0) return [];
    const expiresAt = Math.floor(this.#nowMs() / 1000) + this.#retentionSeconds;
    let records: Map<string, StoredNotification | undefined>;
    try {
      await this.#putEventItems(groups.flat(), expiresAt);
      records = await this.#readStates(ids);
    } catch (error) {
      return groups.map(() => ({ ok: false, error }));
    }
    return Promise.all(
      groups.map(async (events, i): Promise<EventGroupResult> => {
        try {
          return { ok: true, outcomes: await this.#applyToRecord(events, records.get(ids[i]!)) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /** Applies one notification's events to its record, starting from the version read. */
  async #applyToRecord(
    events: StatusEvent[],
    read: StoredNotification | undefined,
  ): Promise<ApplyOutcome[]> {
    const id = events[0]!.notificationId;
    let current = read;
    for (let attempt = 1; attempt <= this.#maxUpdateAttempts; attempt += 1) {
      if (attempt > 1) current = await this.#readState(id);
      if (current === undefined) {
        await Promise.all(events.map((e) => this.#removeEvent(e)));
        return events.map(() => ({ outcome: 'unknown_notification' }));
      }
      const base = current;
      const version = base.version + 1;
      const changedAt = this.#nextChangedAt(base.changedAt);
      let record: StoredNotification = base;
      const outcomes: ApplyOutcome[] = events.map((event) => {
        const result = applyEvent(record, event);
        if (!result.changed) return { outcome: 'unchanged' };
        record = {
          ...result.record,
          clientId: base.clientId,
          version,
          changedAt,
          expiresAt: base.expiresAt,
        };
        if (base.reference !== undefined) record.reference = base.reference;
        return { outcome: 'applied', transitions: result.transitions, record };
      });
      if (record === base) return outcomes;
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#table,
            Item: toStateItem(record),
            ConditionExpression: '#version = :version',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':version': base.version },
          }),
          this.#deadline(),
        );
        return outcomes;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Another writer updated the record since we read it: read again and re-apply.
        await sleep(Math.random() * 10 * attempt);
      }
    }
    throw new StatusVersionConflictError(
      `notification ${id}: ${this.#maxUpdateAttempts} update attempts lost to concurrent writers`,
    );
  }

  /**
   * Every event's timeline item, in BatchWriteItem calls of 25 side by side. The same key twice
   * in one call is a ValidationException in DynamoDB, so an event that came twice in one batch
   * is written once.
   */
  async #putEventItems(events: StatusEvent[], expiresAt: number): Promise<void> {
    const byKey = new Map<string, Record<string, unknown>>();
    for (const event of events) {
      const item = toEventItem(event, expiresAt);
      byKey.set(`${String(item.pk)}\n${String(item.sk)}`, item);
    }
    const items = [...byKey.values()];
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < items.length; i += BATCH_WRITE_MAX_ITEMS) {
      chunks.push(items.slice(i, i + BATCH_WRITE_MAX_ITEMS));
    }
    const deadline = this.#nowMs() + this.#createDeadlineMs;
    const left = await Promise.all(chunks.map((chunk) => this.#batchWrite(chunk, deadline)));
    if (left.some((unprocessed) => unprocessed.length > 0)) {
      throw new StatusStoreUnavailableError(
        'DynamoDB left status events unprocessed until the deadline',
      );
    }
  }

  /** The records of the given notifications (consistent reads); undefined for unknown ones. */
  async #readStates(ids: string[]): Promise<Map<string, StoredNotification | undefined>> {
    const found = new Map<string, StoredNotification | undefined>();
    const deadline = this.#nowMs() + this.#createDeadlineMs;
    for (let i = 0; i < ids.length; i += BATCH_GET_MAX_KEYS) {
      let keys: Record<string, unknown>[] = ids
        .slice(i, i + BATCH_GET_MAX_KEYS)
        .map((id) => ({ pk: notificationPk(id), sk: STATE_SK }));
      for (let attempt = 0; keys.length > 0; attempt += 1) {
        const remaining = deadline - this.#nowMs();
        if (remaining <= 0) {
          throw new StatusStoreUnavailableError(
            'DynamoDB left status records unread until the deadline',
          );
        }
        const result = await this.#client.send(
          new BatchGetCommand({
            RequestItems: { [this.#table]: { Keys: keys, ConsistentRead: true } },
          }),
          withDeadline(Math.min(remaining, this.#callDeadlineMs)),
        );
        for (const item of result.Responses?.[this.#table] ?? []) {
          const stored = fromStateItem(item);
          if (stored !== undefined && !this.#expired(stored)) found.set(stored.id, stored);
        }
        keys = result.UnprocessedKeys?.[this.#table]?.Keys ?? [];
        if (keys.length > 0) await this.#backoff(attempt, deadline);
      }
    }
    return found;
  }

  /** Waits for the creates under way (shutdown). */
  async flush(): Promise<void> {
    await this.#creates.flush();
  }

  async #readState(id: string): Promise<StoredNotification | undefined> {
    const result = await this.#client.send(
      new GetCommand({
        TableName: this.#table,
        Key: { pk: notificationPk(id), sk: STATE_SK },
        ConsistentRead: true,
      }),
      this.#deadline(),
    );
    const stored = fromStateItem(result.Item);
    return stored === undefined || this.#expired(stored) ? undefined : stored;
  }

  /** An event for a record we do not hold (expired, or not ours) is not kept. Best effort. */
  async #removeEvent(event: StatusEvent): Promise<void> {
    const item = toEventItem(event, 0);
    try {
      await this.#client.send(
        new DeleteCommand({ TableName: this.#table, Key: { pk: item.pk, sk: item.sk } }),
        this.#deadline(),
      );
    } catch {
      // The item expires with its TTL anyway.
    }
  }

  #expired(stored: StoredNotification): boolean {
    return stored.expiresAt <= Math.floor(this.#nowMs() / 1000);
  }

  /** Never earlier than the previous write, even on a task whose clock is behind. */
  #nextChangedAt(previous: string): string {
    const now = this.#nowMs();
    const floor = Date.parse(previous) + 1;
    return new Date(Math.max(now, floor)).toISOString();
  }

  #deadline() {
    return withDeadline(this.#callDeadlineMs);
  }

  /** The creates' BatchWriteItem: one outcome per new record. */
  async #batchPut(items: Record<string, unknown>[]): Promise<EntryOutcome<void>[]> {
    const left = await this.#batchWrite(items, this.#nowMs() + this.#createDeadlineMs);
    const failed = new Set(left.map((item) => item.pk));
    return items.map((item) =>
      failed.has(item.pk)
        ? {
            ok: false,
            error: new StatusStoreUnavailableError(
              'DynamoDB left the new status record unprocessed until the deadline',
            ),
          }
        : { ok: true, value: undefined },
    );
  }

  /**
   * One BatchWriteItem of puts (distinct keys, at most 25), retrying what DynamoDB left
   * unprocessed with backoff until the deadline; answers the items still unprocessed then.
   */
  async #batchWrite(
    items: Record<string, unknown>[],
    deadline: number,
  ): Promise<Record<string, unknown>[]> {
    let pending = items;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      const remaining = deadline - this.#nowMs();
      if (remaining <= 0) break;
      const result = await this.#client.send(
        new BatchWriteCommand({
          RequestItems: { [this.#table]: pending.map((Item) => ({ PutRequest: { Item } })) },
        }),
        withDeadline(Math.min(remaining, this.#callDeadlineMs)),
      );
      pending = (result.UnprocessedItems?.[this.#table] ?? []).flatMap((r) =>
        r.PutRequest?.Item === undefined ? [] : [r.PutRequest.Item],
      );
      if (pending.length > 0) await this.#backoff(attempt, deadline);
    }
    return pending;
  }

  /** Exponential backoff with full jitter, as AWS recommends for unprocessed items. */
  async #backoff(attempt: number, deadline: number): Promise<void> {
    const wait = Math.random() * Math.min(1_000, 25 * 2 ** attempt);
    await sleep(Math.min(wait, Math.max(0, deadline - this.#nowMs())));
  }
}

/** Ties a cursor to the query it was issued for (a hash, so the cursor reveals nothing). */
function queryBinding(index: ListIndex, query: ListQuery): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        index,
        query.reference ?? null,
        query.status ?? null,
        query.updatedSince !== undefined,
      ]),
    )
    .digest('base64url')
    .slice(0, 16);
}

export type { ListCursor };
