// POST /v1/notifications: authenticate, rate-limit, validate, (optionally) claim the
// idempotency key, write the status record (`queued`), enqueue, and answer 202 only once SQS has
// acknowledged this very message. The record exists before the message can be sent, so a GET
// right after the 202 finds it; it is written in a shared BatchWriteItem (StatusStore.create),
// so the POST gains no DynamoDB round trip of its own.
import { randomUUID } from 'node:crypto';
import { Router } from '@koa/router';
import { authMiddleware, type Authenticator } from '../auth.ts';
import { serializeEnvelope, type StatusStore } from '@notify/shared';
import { buildEnvelope } from '../envelope-builder.ts';
import { EnqueueError, type EnqueueResult, type OutgoingMessage } from '../enqueue-batcher.ts';
import { ApiError, enqueueFailure, statusUnavailable, validationError } from '../errors.ts';
import {
  IDEMPOTENCY_KEY_HEADER,
  readIdempotencyKey,
  requestFingerprint,
  type ClaimInput,
  type ClaimResult,
  type IdempotencyStore,
} from '../idempotency.ts';
import { readJsonBody } from '../json-body.ts';
import { rateLimitMiddleware, type TokenBucketRateLimiter } from '../rate-limit.ts';
import { parseNotificationRequest } from '../request-schema.ts';
import type { ApiState } from '../state.ts';

export interface NotificationRouteDeps {
  authenticator: Authenticator;
  rateLimiter: Pick<TokenBucketRateLimiter, 'take'>;
  enqueue: (message: OutgoingMessage) => Promise<EnqueueResult>;
  idempotency: IdempotencyStore;
  status: Pick<StatusStore, 'create' | 'remove'>;
  bodyLimitBytes: number;
  now: () => number;
  newId?: () => string;
  /** Retry-After for 503s: about how long a queue or table outage is worth waiting out. */
  retryAfterSeconds?: number;
}

export function notificationRoutes(deps: NotificationRouteDeps): Router<ApiState> {
  const router = new Router<ApiState>();
  const newId = deps.newId ?? randomUUID;
  const retryAfter = deps.retryAfterSeconds ?? 5;

  const idempotencyUnavailable = (cause: unknown) =>
    new ApiError(
      503,
      'IDEMPOTENCY_UNAVAILABLE',
      'the idempotency store is unavailable; retry later',
      {
        headers: { 'Retry-After': String(retryAfter) },
        cause,
      },
    );

  async function claim(input: ClaimInput): Promise<ClaimResult> {
    try {
      return await deps.idempotency.claim(input);
    } catch (error) {
      throw idempotencyUnavailable(error);
    }
  }

  router.post(
    '/v1/notifications',
    authMiddleware(deps.authenticator),
    rateLimitMiddleware(deps.rateLimiter),
    async (ctx) => {
      const idempotencyKey = readIdempotencyKey(ctx.req.headers[IDEMPOTENCY_KEY_HEADER]);
      const body = await readJsonBody(ctx, deps.bodyLimitBytes);
      const parsed = parseNotificationRequest(body);
      if (!parsed.ok) throw validationError('the request body is invalid', parsed.details);

      const id = newId();
      const createdAt = new Date(deps.now());
      const envelope = buildEnvelope(parsed.request, {
        id,
        requestId: ctx.state.requestId,
        createdAt,
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      });

      let claimed: ClaimInput | undefined;
      if (idempotencyKey !== undefined) {
        const input: ClaimInput = {
          scope: ctx.state.client ?? 'anonymous',
          key: idempotencyKey,
          fingerprint: requestFingerprint(parsed.request),
          notificationId: id,
        };
        const result = await claim(input);
        if (result.outcome === 'replay') {
          ctx.state.outcome = 'replayed';
          const replayedId = (result.body as { id?: unknown } | undefined)?.id;
          if (typeof replayedId === 'string') ctx.state.notificationId = replayedId;
          ctx.status = result.status;
          ctx.set('Idempotent-Replay', 'true');
          ctx.body = result.body;
          return;
        }
        if (result.outcome === 'mismatch') {
          throw new ApiError(
            422,
            'IDEMPOTENCY_KEY_REUSED',
            'this Idempotency-Key was used with a different request body',
          );
        }
        if (result.outcome === 'unknown') {
          throw new ApiError(
            409,
            'IDEMPOTENCY_KEY_OUTCOME_UNKNOWN',
            `the first request with this Idempotency-Key (notification ${result.notificationId}) ` +
              'timed out at the queue and may have been queued; it is never queued again under ' +
              'this key. To send it anyway, use a new key (it may then arrive twice)',
          );
        }
        if (result.outcome === 'in_progress') {
          throw new ApiError(
            409,
            'IDEMPOTENCY_KEY_IN_PROGRESS',
            'a request with this Idempotency-Key is still in progress; retry later',
            { headers: { 'Retry-After': '1' } },
          );
        }
        claimed = input;
      }

      const { to, cc, bcc } = parsed.request.email;
      try {
        await deps.status.create({
          id,
          clientId: ctx.state.client ?? 'anonymous',
          addresses: [...to, ...cc, ...bcc],
          createdAt: createdAt.toISOString(),
          ...(parsed.request.reference !== undefined
            ? { reference: parsed.request.reference }
            : {}),
        });
      } catch (error) {
        // Nothing is queued: free the key so the client's retry can run.
        if (claimed) {
          await deps.idempotency.release(claimed).catch((releaseError: unknown) => {
            ctx.state.log.error({ err: releaseError }, 'could not release idempotency key');
          });
        }
        throw statusUnavailable(retryAfter, error);
      }

      const started = performance.now();
      try {
        await deps.enqueue({
          body: serializeEnvelope(envelope),
          attributes: { requestId: { DataType: 'String', StringValue: ctx.state.requestId } },
        });
      } catch (error) {
        const outcomeUnknown = error instanceof EnqueueError && error.outcomeUnknown;
        // The record stays when SQS may hold the message (the worker may still send it); it
        // goes when the message is definitely not queued. Both run alongside the key's update.
        const removal = outcomeUnknown
          ? Promise.resolve()
          : deps.status.remove(id).then((removed) => {
              if (!removed) {
                ctx.state.log.warn(
                  { notificationId: id },
                  'could not remove the status record of a notification that was not queued; it stays queued until its retention ends',
                );
              }
            });
        if (claimed && outcomeUnknown) {
          // SQS may hold the message: spend the key, so no retry can queue a second copy.
          await deps.idempotency.markUnknown(claimed).catch((markError: unknown) => {
            ctx.state.log.error(
              { err: markError },
              'could not mark the idempotency key unknown; it stays in progress until its lease ends',
            );
          });
        } else if (claimed) {
          // Free the key: the message is not queued, so the client's retry must be able to run.
          await deps.idempotency.release(claimed).catch((releaseError: unknown) => {
            ctx.state.log.error({ err: releaseError }, 'could not release idempotency key');
          });
        }
        await removal;
        throw enqueueFailure(error, retryAfter, outcomeUnknown);
      }
      ctx.state.enqueueLatencyMs = Math.round((performance.now() - started) * 100) / 100;

      const response = { id, status: 'queued' as const };
      if (claimed) {
        // The message is in SQS: the answer is 202 even if recording it fails (then a retry
        // with the key sees "in progress" until the record's lease runs out).
        await deps.idempotency
          .complete(claimed, { status: 202, body: response })
          .catch((completeError: unknown) => {
            ctx.state.log.error({ err: completeError }, 'could not complete idempotency record');
          });
      }
      ctx.state.outcome = 'accepted';
      // Logged on the request's access log line: one line a request keeps logging cheap.
      ctx.state.notificationId = id;
      ctx.status = 202;
      ctx.body = response;
    },
  );
  return router;
}
