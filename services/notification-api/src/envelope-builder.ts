// Turns a validated request into the queue envelope (the shared serializeEnvelope makes its
// SQS-safe body). The envelope is validated against the shared schema before it leaves, so the
// worker never sees what it would reject; any problem found here is reported against the
// client's fields (a 400, not a 500).
import { ENVELOPE_VERSION, envelopeSchema, type Envelope } from '@notify/shared';
import { describeValidationIssues, type NotificationRequest } from './request-schema.ts';
import { validationError } from './errors.ts';

export interface EnvelopeIds {
  id: string;
  requestId: string;
  createdAt: Date;
  idempotencyKey?: string;
}

export function buildEnvelope(request: NotificationRequest, ids: EnvelopeIds): Envelope {
  const candidate = {
    v: ENVELOPE_VERSION,
    id: ids.id,
    createdAt: ids.createdAt.toISOString(),
    requestId: ids.requestId,
    ...(ids.idempotencyKey !== undefined ? { idempotencyKey: ids.idempotencyKey } : {}),
    ...(request.reference !== undefined ? { reference: request.reference } : {}),
    ...(request.metadata !== undefined ? { metadata: request.metadata } : {}),
    email: request.email,
  };
  const parsed = envelopeSchema.safeParse(candidate);
  if (!parsed.success) {
    throw validationError('the request is invalid', describeValidationIssues(parsed.error));
  }
  return parsed.data;
}
