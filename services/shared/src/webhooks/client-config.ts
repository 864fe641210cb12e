// Each client's webhook configuration: where to deliver, which event types, and the live signing
// secrets (several during a rotation). One JSON document, WEBHOOK_CLIENTS, keyed by client id
// like API_TOKENS: in AWS the task definition injects it from Secrets Manager; the local stack
// builds it from LOCAL_WEBHOOK_URL and LOCAL_WEBHOOK_SECRET.
//   {"<clientId>": {"url": "https://...", "events": ["notification.delivered"], "secrets": ["whsec_..."]}}
import { z } from 'zod';
import {
  DEFAULT_WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from './event.ts';
import { webhookSecretProblem } from './signing.ts';

const secret = z.string().superRefine((value, ctx) => {
  const problem = webhookSecretProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `secret ${problem}` });
});

const clientWebhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).optional(),
    secrets: z.array(secret).min(1, { error: 'needs at least one signing secret' }).max(5),
  })
  .strict();

export const webhookClientsSchema = z.record(z.string().min(1), clientWebhookSchema);

export interface ClientWebhook {
  url: string;
  events: readonly WebhookEventType[];
  secrets: readonly string[];
}

export type WebhookClients = ReadonlyMap<string, ClientWebhook>;

/** Parses WEBHOOK_CLIENTS; an absent or blank value means no client has a webhook. */
export function parseWebhookClients(raw: string | undefined): WebhookClients {
  if (raw === undefined || raw.trim() === '') return new Map();
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('WEBHOOK_CLIENTS: must be JSON');
  }
  const parsed = webhookClientsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`WEBHOOK_CLIENTS: ${problems.join('; ')}`);
  }
  return new Map(
    Object.entries(parsed.data).map(([clientId, c]) => [
      clientId,
      { url: c.url, events: c.events ?? DEFAULT_WEBHOOK_EVENT_TYPES, secrets: c.secrets },
    ]),
  );
}

/** Whether the status consumer should enqueue a job of this type for this client. */
export function wantsWebhook(
  clients: WebhookClients,
  clientId: string,
  type: WebhookEventType,
): boolean {
  return clients.get(clientId)?.events.includes(type) ?? false;
}
