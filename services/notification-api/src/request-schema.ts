// The body of POST /v1/notifications. All email rules (address syntax, 50 recipients, subject
// without CR/LF, text or html, size) are the shared envelope's own `emailContentSchema`, so the
// API accepts exactly what the worker will send. The request is flatter than the envelope and
// lets `to`, `cc`, `bcc` and `replyTo` be one address or a list; a preprocessing step reshapes it
// into `{ email, reference, metadata }` before the strict schemas run.
import {
  emailContentSchema,
  MAX_REFERENCE_LENGTH,
  metadataSchema,
  type EmailContent,
} from '@notify/shared';
import { z } from 'zod';
import type { ErrorDetail } from './errors.ts';

const EMAIL_FIELDS = ['to', 'cc', 'bcc', 'replyTo', 'subject', 'text', 'html'] as const;
const RECIPIENT_FIELDS = new Set<string>(['to', 'cc', 'bcc', 'replyTo']);

/** Moves the email fields under `email`, wrapping single recipient strings in a list. */
function reshape(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const email: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if ((EMAIL_FIELDS as readonly string[]).includes(key)) {
      email[key] = RECIPIENT_FIELDS.has(key) && typeof value === 'string' ? [value] : value;
    } else if (key === 'email') {
      // A client field called `email` would collide with the nested object; placing it inside
      // lets the strict email schema report it as the unknown field it is.
      email[key] = value;
    } else {
      Object.defineProperty(rest, key, { value, enumerable: true, writable: true });
    }
  }
  return { ...rest, email };
}

export const notificationRequestSchema = z.preprocess(
  reshape,
  z.strictObject(
    {
      email: emailContentSchema,
      reference: z
        .string()
        .min(1, { error: 'must not be empty' })
        .max(MAX_REFERENCE_LENGTH, {
          error: `must be at most ${MAX_REFERENCE_LENGTH} characters`,
        })
        .optional(),
      metadata: metadataSchema.optional(),
    },
    { error: 'the body must be a JSON object' },
  ),
);

export interface NotificationRequest {
  email: EmailContent;
  reference?: string;
  metadata?: Record<string, string>;
}

/** ['email', 'to', 0] -> "to[0]"; ['metadata', 'k'] -> "metadata.k"; [] -> "(body)". */
export function fieldName(path: readonly PropertyKey[]): string {
  const parts = path[0] === 'email' ? path.slice(1) : path;
  let name = '';
  for (const part of parts) {
    if (typeof part === 'number') name += `[${part}]`;
    else name += name === '' ? String(part) : `.${String(part)}`;
  }
  return name === '' ? '(body)' : name;
}

/** One detail per problem, each naming its field; an unknown key is a problem of its own. */
export function describeValidationIssues(error: z.ZodError): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        details.push({
          field: fieldName([...issue.path, key]),
          rule: 'unknown_field',
          message: 'is not a known field',
        });
      }
    } else {
      details.push({ field: fieldName(issue.path), rule: issue.code, message: issue.message });
    }
  }
  return details;
}

export type RequestParseResult =
  { ok: true; request: NotificationRequest } | { ok: false; details: ErrorDetail[] };

export function parseNotificationRequest(body: unknown): RequestParseResult {
  const parsed = notificationRequestSchema.safeParse(body);
  if (parsed.success) return { ok: true, request: parsed.data };
  return { ok: false, details: describeValidationIssues(parsed.error) };
}
