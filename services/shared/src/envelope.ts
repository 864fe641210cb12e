// The queue message contract between notification-api (producer) and email-sender (consumer).
// Defined once and validated on both sides: the API never enqueues what the worker would reject,
// and the worker treats anything that does not parse as poison (dead-letter queue, with reason).
import { z } from 'zod';

export const ENVELOPE_VERSION = 1 as const;

/** SES v2 accepts at most 50 recipients per message (to + cc + bcc). */
export const MAX_RECIPIENTS = 50;
/** RFC 5322 line limit for a header; SES rejects longer subjects. */
export const MAX_SUBJECT_LENGTH = 998;
/** Bodies: text and html together. Keeps a full batch of 10 well under SQS's 1 MiB batch limit. */
export const MAX_BODY_BYTES = 90 * 1024;
export const MAX_REFERENCE_LENGTH = 128;
export const MAX_METADATA_KEYS = 20;
export const MAX_METADATA_KEY_LENGTH = 64;
export const MAX_METADATA_VALUE_LENGTH = 256;

export const emailAddress = z.email({ error: 'must be a valid email address' }).max(320);

const addressList = z.array(emailAddress);

const subject = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(MAX_SUBJECT_LENGTH, { error: `must be at most ${MAX_SUBJECT_LENGTH} characters` })
  .refine((s) => !/[\r\n]/.test(s), { error: 'must not contain CR or LF (header injection)' });

/**
 * Keys that name Object.prototype machinery. JSON.parse makes `"__proto__"` an own property, but
 * zod's record skips it without a word (assigning it would set the prototype), so it would vanish
 * unvalidated and uncounted. These are checked on the input itself and refused like any invalid
 * key; every own key counts towards the limit.
 */
const RESERVED_METADATA_KEYS = ['__proto__', 'constructor', 'prototype'];

const metadata = z
  .unknown()
  .superRefine((raw, ctx) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
    const keys = Object.keys(raw);
    for (const key of keys) {
      if (RESERVED_METADATA_KEYS.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'keys must not be __proto__, constructor or prototype',
        });
      }
    }
    if (keys.length > MAX_METADATA_KEYS) {
      ctx.addIssue({ code: 'custom', message: `must have at most ${MAX_METADATA_KEYS} keys` });
    }
  })
  .pipe(
    z.record(
      z.string().min(1).max(MAX_METADATA_KEY_LENGTH),
      z.string().max(MAX_METADATA_VALUE_LENGTH, {
        error: `values must be at most ${MAX_METADATA_VALUE_LENGTH} characters`,
      }),
    ),
  );

/** The email as the worker will send it. Recipients are already normalised to arrays. */
export const emailContentSchema = z
  .strictObject({
    to: addressList.min(1, { error: 'must have at least one recipient' }),
    cc: addressList.default([]),
    bcc: addressList.default([]),
    replyTo: addressList.max(10).default([]),
    subject,
    text: z.string().min(1).optional(),
    html: z.string().min(1).optional(),
  })
  .superRefine((e, ctx) => {
    const total = e.to.length + e.cc.length + e.bcc.length;
    if (total > MAX_RECIPIENTS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `at most ${MAX_RECIPIENTS} recipients in to, cc and bcc together (got ${total})`,
      });
    }
    if (e.text === undefined && e.html === undefined) {
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'one of text or html is required' });
    }
    const bytes = Buffer.byteLength(e.text ?? '') + Buffer.byteLength(e.html ?? '');
    if (bytes > MAX_BODY_BYTES) {
      ctx.addIssue({
        code: 'custom',
        path: [e.html !== undefined ? 'html' : 'text'],
        message: `text and html together must be at most ${MAX_BODY_BYTES} bytes (got ${bytes})`,
      });
    }
  });

export type EmailContent = z.infer<typeof emailContentSchema>;

export const envelopeSchema = z.strictObject({
  v: z.literal(ENVELOPE_VERSION),
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  requestId: z.string().min(1).max(200),
  idempotencyKey: z.string().min(1).max(255).optional(),
  reference: z.string().min(1).max(MAX_REFERENCE_LENGTH).optional(),
  metadata: metadata.optional(),
  email: emailContentSchema,
});

export const metadataSchema = metadata;
export type Envelope = z.infer<typeof envelopeSchema>;

export type EnvelopeParseResult = { ok: true; envelope: Envelope } | { ok: false; reason: string };

/** Parses a raw SQS message body. Never throws: a bad body is a reason, not an exception. */
export function parseEnvelope(body: string | undefined): EnvelopeParseResult {
  if (body === undefined || body.length === 0) return { ok: false, reason: 'empty message body' };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'message body is not JSON' };
  }
  if (typeof raw === 'object' && raw !== null && 'v' in raw && raw.v !== ENVELOPE_VERSION) {
    return { ok: false, reason: `unsupported envelope version ${JSON.stringify(raw.v)}` };
  }
  const parsed = envelopeSchema.safeParse(raw);
  if (!parsed.success)
    return { ok: false, reason: `invalid envelope: ${describeIssues(parsed.error)}` };
  return { ok: true, envelope: parsed.data };
}

/**
 * Characters to write as JSON `\u` escapes in a message body. SQS accepts #x9 #xA #xD
 * #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF; JSON.stringify already escapes the control
 * characters and lone surrogates, which leaves U+FFFE and U+FFFF. Characters outside the Basic
 * Multilingual Plane (emoji) are allowed by SQS but refused by stricter implementations (the
 * local emulator among them), so they go as their two escaped UTF-16 halves: the body is then
 * plain BMP text any SQS-compatible backend takes, and it parses back to the same strings.
 */
const SQS_UNSAFE = /[\ufffe\uffff]|[\u{10000}-\u{10ffff}]/gu;

const escapeUtf16 = (c: string): string => {
  let out = '';
  for (let i = 0; i < c.length; i += 1)
    out += `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
};

/** The envelope as an SQS message body: JSON whose characters every SQS backend accepts. */
export function serializeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope).replace(SQS_UNSAFE, escapeUtf16);
}

/** "email.to.0: must be a valid email address; subject: must not be empty" */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
