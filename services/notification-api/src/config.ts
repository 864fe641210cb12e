// Configuration of notification-api, read once from environment variables (the same names
// locally and in ECS). A bad value stops the start with every problem named.
import { readConfig } from '@notify/shared';
import { z } from 'zod';
import { parseApiTokens, TokenConfigError, type ApiClient } from './auth.ts';
import { apiDeadlines, LEASE_CLOCK_MARGIN_MS, type DependencyTimeouts } from './deadlines.ts';

/** SQS rejects a message over 1 MiB; the body limit keeps every envelope well under it. */
const MAX_BODY_LIMIT_BYTES = 512 * 1024;

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const boolean = z
  .enum(['true', 'false', '1', '0', ''], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

export const configSchema = z
  .object({
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: int(0, 65535).default(3000),
    QUEUE_URL: z.url({ error: 'must be the URL of the SQS queue' }),
    API_TOKENS: z.string().optional(),
    ALLOW_DEV_TOKEN: boolean.default(false),
    IDEMPOTENCY_TABLE: z.string({ error: 'is required (DynamoDB table name)' }).min(3).max(255),
    IDEMPOTENCY_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(24),
    STATUS_TABLE: z.string({ error: 'is required (DynamoDB table name)' }).min(3).max(255),
    STATUS_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
    RATE_LIMIT_PER_SECOND: z.coerce.number().positive().default(50),
    RATE_LIMIT_BURST: int(1, 1_000_000).default(100),
    ENQUEUE_LINGER_MS: int(0, 1000).default(0),
    ENQUEUE_MAX_IN_FLIGHT: int(1, 64).default(4),
    ENQUEUE_MAX_BATCH: int(1, 10).default(10),
    BODY_LIMIT_BYTES: int(1024, MAX_BODY_LIMIT_BYTES).default(262_144),
    READINESS_CACHE_MS: int(0, 300_000).default(5000),
    IDEMPOTENCY_LEASE_SECONDS: int(1, 3600).default(120),
    SQS_ATTEMPT_TIMEOUT_MS: int(100, 30_000).default(3_000),
    SQS_MAX_ATTEMPTS: int(1, 5).default(2),
    DYNAMODB_ATTEMPT_TIMEOUT_MS: int(100, 10_000).default(1_000),
    DYNAMODB_MAX_ATTEMPTS: int(1, 5).default(2),
    SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(25_000),
    REQUEST_TIMEOUT_MS: int(500, 300_000).default(30_000),
    ENVIRONMENT: z.string().min(1).default('local'),
    METRICS_NAMESPACE: z.string().min(1).default('Notify'),
    METRICS_FLUSH_SECONDS: int(0, 60).default(10),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  // A refinement rather than a transform step, so token problems are reported together with
  // every other invalid variable.
  .superRefine((env, ctx) => {
    try {
      parseApiTokens(env.API_TOKENS, env.ALLOW_DEV_TOKEN === true);
    } catch (error) {
      if (!(error instanceof TokenConfigError)) throw error;
      ctx.addIssue({ code: 'custom', path: ['API_TOKENS'], message: error.message });
    }
    // The numbers that depend on the dependency deadlines must outlast them (README "Timeouts").
    const { requestMs } = apiDeadlines(dependencyTimeouts(env));
    if (env.IDEMPOTENCY_LEASE_SECONDS * 1000 < requestMs + LEASE_CLOCK_MARGIN_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['IDEMPOTENCY_LEASE_SECONDS'],
        message: `must cover the longest request (${requestMs} ms) plus ${LEASE_CLOCK_MARGIN_MS} ms, or a retry could overtake a running request`,
      });
    }
    if (env.SHUTDOWN_TIMEOUT_MS <= requestMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['SHUTDOWN_TIMEOUT_MS'],
        message: `must exceed the longest request (${requestMs} ms), so the drain lets it answer`,
      });
    }
  })
  .transform((env) => {
    const clients: ApiClient[] = parseApiTokens(env.API_TOKENS, env.ALLOW_DEV_TOKEN);
    return {
      host: env.HOST,
      port: env.PORT,
      queueUrl: env.QUEUE_URL,
      clients,
      idempotencyTable: env.IDEMPOTENCY_TABLE,
      idempotencyTtlSeconds: Math.round(env.IDEMPOTENCY_TTL_HOURS * 3600),
      statusTable: env.STATUS_TABLE,
      statusRetentionDays: env.STATUS_RETENTION_DAYS,
      rateLimitPerSecond: env.RATE_LIMIT_PER_SECOND,
      rateLimitBurst: env.RATE_LIMIT_BURST,
      enqueueLingerMs: env.ENQUEUE_LINGER_MS,
      enqueueMaxBatch: env.ENQUEUE_MAX_BATCH,
      enqueueMaxInFlight: env.ENQUEUE_MAX_IN_FLIGHT,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      readinessCacheMs: env.READINESS_CACHE_MS,
      idempotencyLeaseSeconds: env.IDEMPOTENCY_LEASE_SECONDS,
      timeouts: dependencyTimeouts(env),
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      environment: env.ENVIRONMENT,
      metricsNamespace: env.METRICS_NAMESPACE,
      metricsFlushMs: env.METRICS_FLUSH_SECONDS * 1000,
      logLevel: env.LOG_LEVEL,
    };
  });

function dependencyTimeouts(env: {
  SQS_ATTEMPT_TIMEOUT_MS: number;
  SQS_MAX_ATTEMPTS: number;
  DYNAMODB_ATTEMPT_TIMEOUT_MS: number;
  DYNAMODB_MAX_ATTEMPTS: number;
  ENQUEUE_LINGER_MS: number;
}): DependencyTimeouts {
  return {
    sqsAttemptTimeoutMs: env.SQS_ATTEMPT_TIMEOUT_MS,
    sqsMaxAttempts: env.SQS_MAX_ATTEMPTS,
    dynamodbAttemptTimeoutMs: env.DYNAMODB_ATTEMPT_TIMEOUT_MS,
    dynamodbMaxAttempts: env.DYNAMODB_MAX_ATTEMPTS,
    enqueueLingerMs: env.ENQUEUE_LINGER_MS,
  };
}

export type ApiConfig = z.infer<typeof configSchema>;

export function readApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return readConfig(configSchema, env);
}
