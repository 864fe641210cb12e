// Hooks webhook delivery onto the status store without touching the status consumer: wraps the
// store's applyEvent, applyEvents and applyEventBatch so that every applied event enqueues its
// webhook jobs (one per subscribed recipient transition, see webhookJobsForChange) before the
// consumer deletes the SES event.
// Delivery itself happens later, from the webhooks queue, never inline here.
//
// If the webhooks queue refuses the jobs even after the SDK's retries, the status write still
// counts (it happened) and the failure is logged and counted (`WebhookEnqueueFailed`): a
// redelivered SES event would find the record unchanged and produce no jobs, so failing the
// event would not bring them back.
import {
  webhookJobsForChange,
  type AppliedStatusChange,
  type EventGroupResult,
  type Logger,
  type MetricsEmitter,
  type StatusEvent,
  type WebhookClients,
} from '@notify/shared';
import type { WebhookJobQueue } from './job-queue.ts';

/** The part of StatusStore.applyEvent's answer this hook reads. */
export type ApplyOutcomeLike =
  | {
      outcome: 'applied';
      transitions: AppliedStatusChange['transitions'];
      record: AppliedStatusChange['record'];
    }
  | { outcome: Exclude<string, 'applied'> };

export interface AppliesStatusEvents<O extends ApplyOutcomeLike> {
  applyEvent(event: StatusEvent): Promise<O>;
  /** Several events of one notification, one outcome each (StatusStore.applyEvents). */
  applyEvents(events: StatusEvent[]): Promise<O[]>;
  /** A receive batch, one group per notification (StatusStore.applyEventBatch). */
  applyEventBatch(groups: StatusEvent[][]): Promise<GroupResult<O>[]>;
}

/** EventGroupResult with the hooked store's outcome type. */
export type GroupResult<O> = { ok: true; outcomes: O[] } | Extract<EventGroupResult, { ok: false }>;

export interface WebhookHookOptions {
  clients: () => WebhookClients;
  queue: Pick<WebhookJobQueue, 'enqueue'>;
  logger: Logger;
  metrics: MetricsEmitter;
}

export function withWebhooks<O extends ApplyOutcomeLike>(
  store: AppliesStatusEvents<O>,
  options: WebhookHookOptions,
): AppliesStatusEvents<O> {
  const jobsFor = (event: StatusEvent, result: O) =>
    result.outcome !== 'applied' || !('record' in result)
      ? []
      : webhookJobsForChange(
          { event, transitions: result.transitions, record: result.record },
          options.clients(),
        );
  const jobsOfGroup = (events: StatusEvent[], results: O[]) =>
    events.flatMap((event, i) => jobsFor(event, results[i] as O));
  const enqueue = async (jobs: ReturnType<typeof webhookJobsForChange>, notificationId: string) => {
    if (jobs.length === 0) return;
    try {
      await options.queue.enqueue(jobs);
      options.metrics.emit({ WebhookJobsEnqueued: { value: jobs.length, unit: 'Count' } });
    } catch (error) {
      options.metrics.emit({ WebhookEnqueueFailed: { value: jobs.length, unit: 'Count' } });
      options.logger.error(
        { err: error, notificationId, jobs: jobs.length },
        'could not enqueue webhook jobs; these deliveries are lost',
      );
    }
  };
  return {
    async applyEvent(event: StatusEvent): Promise<O> {
      const result = await store.applyEvent(event);
      await enqueue(jobsFor(event, result), event.notificationId);
      return result;
    },
    async applyEvents(events: StatusEvent[]): Promise<O[]> {
      const results = await store.applyEvents(events);
      // The jobs of every event in one enqueue: SendMessageBatch takes ten at a time.
      await enqueue(jobsOfGroup(events, results), events[0]?.notificationId ?? '');
      return results;
    },
    async applyEventBatch(groups: StatusEvent[][]): Promise<GroupResult<O>[]> {
      const results = await store.applyEventBatch(groups);
      // Each applied group's jobs before its events are deleted; a failed group made none.
      await Promise.all(
        groups.map((events, i) => {
          const result = results[i];
          return result?.ok === true
            ? enqueue(jobsOfGroup(events, result.outcomes), events[0]?.notificationId ?? '')
            : undefined;
        }),
      );
      return results;
    },
  };
}
