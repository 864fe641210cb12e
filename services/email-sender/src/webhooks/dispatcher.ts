// The webhook dispatcher: consumes the webhooks queue, delivers each job to its client's
// endpoint, and decides the job's fate through SQS alone:
// - delivered: deleted;
// - retry: hidden for the schedule's next delay (ChangeMessageVisibility), so the retry state is
//   the message itself and survives a restart of the task;
// - given up (other 4xx, refused destination, unknown client, retries exhausted, poison): copied
//   to the webhooks DLQ with the reason as attributes, then deleted; `npm run webhooks -- replay`
//   moves it back.
// The attempt number is the message's ApproximateReceiveCount plus its `attempts-before`
// attribute: a job deferred by the per-endpoint cap goes back as a new message that carries the
// attempts already made, so waiting for a slow endpoint never uses up a job's attempts.
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  parseWebhookJob,
  type Logger,
  type MetricsEmitter,
  type WebhookClients,
} from '@notify/shared';
import { DeadLetter, type DeadLetterKind } from '../dead-letter.ts';
import { changeVisibility, startVisibilityHeartbeat } from '../visibility.ts';
import type { AttemptOptions } from './attempt.ts';
import { deliverJob } from './delivery.ts';
import type { DestinationPolicy, ResolveAll } from './destination.ts';
import { EndpointLimiter } from './endpoint-limiter.ts';
import { maxAttempts, retryDelaySeconds, SQS_MAX_VISIBILITY_SECONDS } from './schedule.ts';

export const ATTEMPTS_BEFORE_ATTRIBUTE = 'attempts-before';

export interface DispatcherSettings {
  queueUrl: string;
  dlqUrl: string;
  waitTimeSeconds: number;
  /** How long a received job stays hidden while it is handled; the heartbeat extends it. */
  visibilityTimeoutSeconds: number;
  maxInFlight: number;
  perEndpointConcurrency: number;
  perEndpointWaiting: number;
  /** Delay of a job deferred because its endpoint is at its cap. */
  deferSeconds: number;
  schedule: readonly number[];
  policy: DestinationPolicy;
  attempt: AttemptOptions;
}

export interface DispatcherDeps {
  settings: DispatcherSettings;
  sqs: SQSClient;
  clients: () => WebhookClients;
  logger: Logger;
  metrics: MetricsEmitter;
  resolveAll?: ResolveAll;
  random?: () => number;
}

export interface WebhookDispatcher {
  start(): void;
  /** Stops receiving and waits (up to timeoutMs) for the deliveries in flight. */
  stop(timeoutMs: number): Promise<{ inFlight: number }>;
  inFlight(): number;
}

/**
 * The longest visibility SQS still accepts for a message received at `receivedAt`: 12 hours
 * from the receive, less a minute for clock and request latency.
 */
export function visibilityLeftSeconds(receivedAt: number, now: number): number {
  const held = Math.ceil((now - receivedAt) / 1000);
  return Math.max(0, SQS_MAX_VISIBILITY_SECONDS - held - 60);
}

export function createWebhookDispatcher(deps: DispatcherDeps): WebhookDispatcher {
  const { settings, sqs, logger, metrics } = deps;
  const target = { sqs, queueUrl: settings.queueUrl };
  const deadLetter = new DeadLetter({ sqs, dlqUrl: settings.dlqUrl, logger });
  const limiter = new EndpointLimiter({
    concurrency: settings.perEndpointConcurrency,
    waiting: settings.perEndpointWaiting,
  });
  const attemptsAllowed = maxAttempts(settings.schedule);
  let running = false;
  let loop: Promise<void> | undefined;
  let inFlight = 0;
  let slotFreed: (() => void) | undefined;
  let abortReceive: AbortController | undefined;

  const remove = (m: Message) =>
    sqs.send(
      new DeleteMessageCommand({ QueueUrl: settings.queueUrl, ReceiptHandle: m.ReceiptHandle }),
    );

  async function setAside(
    m: Message,
    kind: DeadLetterKind,
    reason: string,
    attempt: number,
    notificationId?: string,
  ) {
    await deadLetter.move({
      body: m.Body ?? '',
      sourceMessageId: m.MessageId ?? '',
      receiveCount: attempt,
      kind,
      reason,
      notificationId,
    });
    await remove(m);
    metrics.emit({ WebhookDeadLettered: { value: 1, unit: 'Count' } }, { Kind: kind });
  }

  async function handle(m: Message): Promise<void> {
    const receivedAt = Date.now();
    const receiveCount = Number(m.Attributes?.ApproximateReceiveCount ?? '1');
    const before = Number(m.MessageAttributes?.[ATTEMPTS_BEFORE_ATTRIBUTE]?.StringValue ?? '0');
    const attempt = before + receiveCount;
    const parsed = parseWebhookJob(m.Body ?? '');
    if (!parsed.ok) return setAside(m, 'poison', parsed.reason, attempt);
    const { job } = parsed;
    const log = {
      webhookId: job.messageId,
      notificationId: job.event.data.id,
      clientId: job.clientId,
      attempt,
    };
    const client = deps.clients().get(job.clientId);
    if (client === undefined) {
      return setAside(
        m,
        'permanent',
        `client ${job.clientId} has no webhook configured`,
        attempt,
        job.event.data.id,
      );
    }
    const endpoint = new URL(client.url).origin;
    const slot = limiter.enter(endpoint);
    if (slot === undefined) {
      // The endpoint is saturated: hand the job back as a new message with its attempts so far.
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: settings.queueUrl,
          MessageBody: m.Body,
          DelaySeconds: settings.deferSeconds,
          MessageAttributes: {
            [ATTEMPTS_BEFORE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(attempt - 1) },
          },
        }),
      );
      await remove(m);
      metrics.emit({ WebhookDeferred: { value: 1, unit: 'Count' } });
      logger.debug({ ...log, endpoint }, 'endpoint at its concurrency cap; job deferred');
      return;
    }
    const stopHeartbeat = startVisibilityHeartbeat({
      ...target,
      receiptHandle: m.ReceiptHandle ?? '',
      visibilityTimeoutSeconds: settings.visibilityTimeoutSeconds,
      logger,
      messageId: m.MessageId ?? '',
    });
    let release: (() => void) | undefined;
    try {
      release = await slot;
      const { verdict, outcome } = await deliverJob(job, client, {
        policy: settings.policy,
        attempt: settings.attempt,
        resolveAll: deps.resolveAll,
      });
      stopHeartbeat();
      const durationMs = outcome?.durationMs ?? 0;
      metrics.emit({
        WebhookAttempts: { value: 1, unit: 'Count' },
        WebhookAttemptDuration: { value: durationMs, unit: 'Milliseconds' },
      });
      if (verdict.verdict === 'delivered') {
        await remove(m);
        metrics.emit({ WebhookDelivered: { value: 1, unit: 'Count' } });
        logger.info({ ...log, status: verdict.status, durationMs }, 'webhook delivered');
        return;
      }
      if (verdict.verdict === 'give_up') {
        await setAside(m, 'permanent', verdict.reason, attempt, job.event.data.id);
        return;
      }
      const scheduled = retryDelaySeconds(attempt, settings.schedule, deps.random);
      if (scheduled === undefined) {
        await setAside(
          m,
          'retries-exhausted',
          `retries exhausted after ${attempt} attempts: ${verdict.reason}`,
          attempt,
          job.event.data.id,
        );
        return;
      }
      const delay = Math.min(scheduled, visibilityLeftSeconds(receivedAt, Date.now()));
      await changeVisibility(target, m.ReceiptHandle ?? '', delay);
      metrics.emit({ WebhookRetries: { value: 1, unit: 'Count' } });
      logger.warn(
        { ...log, reason: verdict.reason, retryInSeconds: delay, attemptsAllowed },
        'webhook attempt failed; will retry',
      );
    } finally {
      stopHeartbeat();
      release?.();
    }
  }

  async function receiveLoop(): Promise<void> {
    while (running) {
      if (inFlight >= settings.maxInFlight) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
        continue;
      }
      abortReceive = new AbortController();
      let messages: Message[] = [];
      try {
        const answer = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: settings.queueUrl,
            MaxNumberOfMessages: Math.min(10, settings.maxInFlight - inFlight),
            WaitTimeSeconds: settings.waitTimeSeconds,
            VisibilityTimeout: settings.visibilityTimeoutSeconds,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
            MessageAttributeNames: [ATTEMPTS_BEFORE_ATTRIBUTE],
          }),
          { abortSignal: abortReceive.signal },
        );
        messages = answer.Messages ?? [];
      } catch (error) {
        if (!running) break;
        logger.error({ err: error }, 'webhooks queue receive failed; retrying in 1 s');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        continue;
      }
      for (const m of messages) {
        inFlight++;
        void handle(m)
          .catch((error: unknown) =>
            // The job stays in the queue and comes back after its visibility timeout.
            logger.error({ err: error, messageId: m.MessageId }, 'webhook job handling failed'),
          )
          .finally(() => {
            inFlight--;
            slotFreed?.();
            slotFreed = undefined;
          });
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = receiveLoop();
    },
    async stop(timeoutMs) {
      running = false;
      abortReceive?.abort();
      slotFreed?.();
      await loop;
      const deadline = Date.now() + timeoutMs;
      while (inFlight > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { inFlight };
    },
    inFlight: () => inFlight,
  };
}
