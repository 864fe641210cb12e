// The hook between the status store and webhook delivery: which webhook jobs one applied status
// event produces. One job per recipient transition to a status the client subscribed to (final
// statuses by default, `delayed` opt-in), and one per recipient who complained when the client
// opted in to complaints (a complaint changes no status, so it shows as complainedAt = event.at).
// Pure: the status consumer enqueues what this returns.
import type { Reason, StatusEvent, StatusRecord, Transition } from '../status/model.ts';
import { wantsWebhook, type WebhookClients } from './client-config.ts';
import { buildWebhookEvent, WEBHOOK_EVENT_TYPES, type RecipientChange } from './event.ts';
import { newWebhookJob, type WebhookJob } from './job.ts';

/** What the store reports for an applied event (StatusStore.applyEvent's `applied` outcome). */
export interface AppliedStatusChange {
  event: StatusEvent;
  transitions: readonly Transition[];
  record: StatusRecord & { clientId: string; reference?: string; version: number };
}

export function webhookJobsForChange(
  change: AppliedStatusChange,
  clients: WebhookClients,
): WebhookJob[] {
  const { event, record } = change;
  const clientId = record.clientId;
  if (!clients.has(clientId)) return [];
  const recipientOf = (address: string) =>
    record.recipients.find((r) => r.address.toLowerCase() === address.toLowerCase());
  const base = (address: string): Omit<RecipientChange, 'from' | 'to'> => {
    const base: Omit<RecipientChange, 'from' | 'to'> = {
      notificationId: record.id,
      notificationStatus: record.status,
      address,
      at: event.at,
      version: record.version,
    };
    if (record.reference !== undefined) base.reference = record.reference;
    if (record.reason !== undefined) base.notificationReason = record.reason;
    const reason: Reason | undefined = recipientOf(address)?.reason;
    if (reason !== undefined) base.recipientReason = reason;
    return base;
  };

  const jobs: WebhookJob[] = [];
  for (const t of change.transitions) {
    const type = `notification.${t.to}`;
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) continue; // queued, sent
    if (!wantsWebhook(clients, clientId, type as (typeof WEBHOOK_EVENT_TYPES)[number])) continue;
    jobs.push(
      newWebhookJob(clientId, buildWebhookEvent({ ...base(t.address), from: t.from, to: t.to })),
    );
  }
  if (event.type === 'complaint' && wantsWebhook(clients, clientId, 'notification.complained')) {
    for (const named of event.recipients) {
      const recipient = recipientOf(named.address);
      // Only a first complaint sets complainedAt to this event's time; a repeat changes nothing.
      if (recipient === undefined || recipient.complainedAt !== event.at) continue;
      const complaint: RecipientChange = {
        ...base(recipient.address),
        from: recipient.status,
        to: recipient.status,
        complainedAt: recipient.complainedAt,
      };
      jobs.push(newWebhookJob(clientId, buildWebhookEvent(complaint)));
    }
  }
  return jobs;
}
