// Standard Webhooks signing with the `standardwebhooks` library (HMAC-SHA256 over
// `<id>.<timestamp>.<body>`). Every live secret signs: the header carries one `v1,<base64>` per
// secret, space-separated as the specification allows, so during a rotation a receiver that
// holds either the old or the new secret verifies the same delivery.
import { Webhook } from 'standardwebhooks';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** The specification recommends secrets of 24 to 64 random bytes. */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Why a secret is not usable, or undefined when it is: `whsec_` + base64 of 24-64 bytes. */
export function webhookSecretProblem(secret: string): string | undefined {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return `must start with ${WEBHOOK_SECRET_PREFIX}`;
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    return `must be ${WEBHOOK_SECRET_PREFIX} followed by standard base64`;
  }
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    return `must encode ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes (has ${bytes})`;
  }
  return undefined;
}

/** The three headers of one delivery attempt; `body` must be sent byte for byte as signed. */
export function signWebhook(
  secrets: readonly string[],
  messageId: string,
  timestamp: Date,
  body: string,
): WebhookHeaders {
  if (secrets.length === 0) throw new Error('a webhook needs at least one signing secret');
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, timestamp, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
