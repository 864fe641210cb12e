// Per-client token bucket, in process: each API task enforces it for itself, so the effective
// limit across the service is the configured rate times the number of running tasks.
import type { Middleware } from 'koa';
import { ApiError } from './errors.ts';
import type { ApiState } from './state.ts';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole seconds until one token is back (Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiterOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Bucket size: how many requests may arrive at once after a quiet period. */
  burst: number;
  clock?: Clock;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketRateLimiter {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  // Keyed by client name, and clients come from configuration, so the map stays small.
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be > 0');
    if (!(options.burst >= 1)) throw new RangeError('burst must be >= 1');
    this.#rate = options.ratePerSecond;
    this.#burst = options.burst;
    this.#clock = options.clock ?? systemClock;
  }

  take(key: string): RateLimitDecision {
    const now = this.#clock.now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updatedAt: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.#burst, bucket.tokens + elapsedSeconds * this.#rate);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    const wait = (1 - bucket.tokens) / this.#rate;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
  }
}

/** Applied after auth, so the bucket is the client's; 429 with Retry-After in whole seconds. */
export function rateLimitMiddleware(
  limiter: Pick<TokenBucketRateLimiter, 'take'>,
): Middleware<ApiState> {
  return async (ctx, next) => {
    const decision = limiter.take(ctx.state.client ?? 'anonymous');
    if (!decision.allowed) {
      throw new ApiError(429, 'RATE_LIMITED', 'too many requests for this client; slow down', {
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
    await next();
  };
}
