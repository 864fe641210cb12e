// How long each outbound call of the API may take, and from them the longest a request can
// wait on its dependencies. The relations between these numbers (lease, shutdown, load
// balancer) are checked at start (config.ts) and in test/deadlines.test.ts; the README's
// "Timeouts" section explains each.
import { callDeadlineMs } from '@notify/shared';

export interface DependencyTimeouts {
  sqsAttemptTimeoutMs: number;
  sqsMaxAttempts: number;
  dynamodbAttemptTimeoutMs: number;
  dynamodbMaxAttempts: number;
  enqueueLingerMs: number;
}

/** A readiness check answers within this or counts as a failure (below the ALB's 5 s). */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * DynamoDB calls one request with an Idempotency-Key waits for, one after the other: a claim
 * (put, get, put), the status record's batched create, and one write after the enqueue (after
 * a failed enqueue the key's release and the record's removal run together).
 */
export const DYNAMODB_CALLS_PER_REQUEST = 5;

export interface ApiDeadlines {
  /** One SendMessageBatch, SDK retries included. */
  sqsCallMs: number;
  /** One DynamoDB call, SDK retries included. */
  dynamodbCallMs: number;
  /** The longest a request waits on SQS and DynamoDB together. */
  requestMs: number;
}

export function apiDeadlines(t: DependencyTimeouts): ApiDeadlines {
  const sqsCallMs = callDeadlineMs(t.sqsAttemptTimeoutMs, t.sqsMaxAttempts);
  const dynamodbCallMs = callDeadlineMs(t.dynamodbAttemptTimeoutMs, t.dynamodbMaxAttempts);
  return {
    sqsCallMs,
    dynamodbCallMs,
    requestMs: DYNAMODB_CALLS_PER_REQUEST * dynamodbCallMs + t.enqueueLingerMs + sqsCallMs,
  };
}

/**
 * Tasks compare an in-progress record's expiry on their own clocks; this much skew between two
 * tasks still never lets a second request take over a key whose first request is running.
 */
export const LEASE_CLOCK_MARGIN_MS = 10_000;
