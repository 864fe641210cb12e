// Turns one SES event, as EventBridge delivers it (`source: aws.ses`, `detail` = the SES event
// record), into a StatusEvent of the status model. The body comes from a queue anyone with
// SendMessage rights can write to, so nothing here trusts its input: every field is checked,
// nothing throws, and the answer says why an event was not turned into a status change.
//
// Three outcomes: `event` (apply it), `ignored` (well formed but not a status event of ours:
// opens, clicks, another sender's email without our tag; delete it), `malformed` (cannot be
// read; dead-letter it with the reason, an operator looks at it).
import { z } from 'zod';
import type { EventRecipient, Reason, StatusEvent } from './model.ts';

/** The email tag the worker sends with (EmailTags), carrying the notification id. */
export const NOTIFICATION_ID_TAG = 'notification_id';

/** EventBridge detail-types of SES events that change or annotate a notification's status. */
export const STATUS_DETAIL_TYPES = {
  'Email Sent': 'Send',
  'Email Delivered': 'Delivery',
  'Email Delivery Delayed': 'DeliveryDelay',
  'Email Bounced': 'Bounce',
  'Email Complaint Received': 'Complaint',
  'Email Rejected': 'Reject',
  'Email Rendering Failed': 'Rendering Failure',
} as const;
export type StatusDetailType = keyof typeof STATUS_DETAIL_TYPES;

/** SES event types that are real but say nothing about delivery (tracking, subscriptions). */
const NON_STATUS_DETAIL_TYPES = new Set(['Email Opened', 'Email Clicked', 'Email Subscribed']);

export type ParsedSesEvent =
  | { kind: 'event'; detailType: StatusDetailType; event: StatusEvent }
  | { kind: 'ignored'; detailType?: string; reason: string }
  | { kind: 'malformed'; reason: string };

const MAX_TEXT = 4096;
const text = z.string().min(1).max(MAX_TEXT);
const isoTime = z.string().refine((s) => ISO_INSTANT.test(s) && !Number.isNaN(Date.parse(s)), {
  message: 'must be an ISO 8601 instant',
});
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const envelopeSchema = z.looseObject({
  id: text,
  source: z.string(),
  'detail-type': z.string(),
  time: isoTime.optional(),
  detail: z.unknown(),
});

const mailSchema = z.looseObject({
  timestamp: isoTime,
  messageId: text,
  destination: z.array(z.string()).max(1000).optional(),
  tags: z.record(z.string(), z.array(z.string())).optional(),
});

const addressed = z.looseObject({
  emailAddress: z.string().min(1).max(MAX_TEXT),
  status: z.string().max(MAX_TEXT).optional(),
  diagnosticCode: z.string().max(MAX_TEXT).optional(),
  action: z.string().max(MAX_TEXT).optional(),
});
const recipientList = z.array(addressed).min(1).max(1000);

const detailSchemas = {
  Send: z.looseObject({ mail: mailSchema }),
  Delivery: z.looseObject({
    mail: mailSchema,
    delivery: z.looseObject({
      timestamp: isoTime,
      recipients: z.array(z.string().min(1).max(MAX_TEXT)).min(1).max(1000),
      smtpResponse: z.string().max(MAX_TEXT).optional(),
    }),
  }),
  DeliveryDelay: z.looseObject({
    mail: mailSchema,
    deliveryDelay: z.looseObject({
      timestamp: isoTime,
      delayType: z.string().min(1).max(200),
      delayedRecipients: recipientList,
    }),
  }),
  Bounce: z.looseObject({
    mail: mailSchema,
    bounce: z.looseObject({
      bounceType: z.string().min(1).max(200),
      bounceSubType: z.string().min(1).max(200),
      bouncedRecipients: recipientList,
      timestamp: isoTime,
    }),
  }),
  Complaint: z.looseObject({
    mail: mailSchema,
    complaint: z.looseObject({
      complainedRecipients: recipientList,
      timestamp: isoTime,
      complaintFeedbackType: z.string().max(200).optional(),
      complaintSubType: z.string().max(200).nullable().optional(),
    }),
  }),
  Reject: z.looseObject({
    mail: mailSchema,
    reject: z.looseObject({ reason: z.string().max(MAX_TEXT).optional() }),
  }),
  'Rendering Failure': z.looseObject({
    mail: mailSchema,
    failure: z.looseObject({
      errorMessage: z.string().max(MAX_TEXT).optional(),
      templateName: z.string().max(MAX_TEXT).optional(),
    }),
  }),
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses an SQS message body (a string) or an already-parsed object. Never throws. */
export function parseSesEvent(input: unknown): ParsedSesEvent {
  try {
    return parse(input);
  } catch (error) {
    // Defence in depth: a bug here must dead-letter one message, not crash the consumer.
    return { kind: 'malformed', reason: `parser error: ${(error as Error).message}` };
  }
}

function parse(input: unknown): ParsedSesEvent {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return { kind: 'malformed', reason: 'body is not JSON' };
    }
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) {
    return { kind: 'malformed', reason: `not an EventBridge event: ${issues(envelope.error)}` };
  }
  const { source, id: eventId } = envelope.data;
  const detailType = envelope.data['detail-type'];
  if (source !== 'aws.ses') {
    return {
      kind: 'ignored',
      detailType: clip(detailType),
      reason: `source "${clip(source)}" is not aws.ses`,
    };
  }
  if (NON_STATUS_DETAIL_TYPES.has(detailType)) {
    return { kind: 'ignored', detailType, reason: `${detailType} does not change a status` };
  }
  if (!Object.hasOwn(STATUS_DETAIL_TYPES, detailType)) {
    return {
      kind: 'ignored',
      detailType: clip(detailType),
      reason: `unknown SES detail-type "${clip(detailType)}"`,
    };
  }
  const type = detailType as StatusDetailType;
  const sesType = STATUS_DETAIL_TYPES[type];

  const detail = envelope.data.detail;
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return { kind: 'malformed', reason: `${type}: detail is not an object` };
  }
  const eventType = (detail as Record<string, unknown>).eventType;
  if (eventType !== sesType) {
    return {
      kind: 'malformed',
      reason: `${type}: detail.eventType is ${JSON.stringify(clip(String(eventType)))}, expected "${sesType}"`,
    };
  }
  const parsed = detailSchemas[sesType].safeParse(detail);
  if (!parsed.success) return { kind: 'malformed', reason: `${type}: ${issues(parsed.error)}` };

  const mail = parsed.data.mail;
  const tag = mail.tags?.[NOTIFICATION_ID_TAG];
  if (tag === undefined) {
    return {
      kind: 'ignored',
      detailType,
      reason: `no ${NOTIFICATION_ID_TAG} tag: not sent by this platform`,
    };
  }
  if (tag.length !== 1 || !UUID.test(tag[0]!)) {
    return {
      kind: 'malformed',
      reason: `${type}: mail.tags.${NOTIFICATION_ID_TAG} must hold exactly one UUID`,
    };
  }
  const base = {
    eventId,
    notificationId: tag[0]!.toLowerCase(),
    sesMessageId: mail.messageId,
  };
  const event = toStatusEvent(sesType, parsed.data as DetailOf<typeof sesType>, base);
  return { kind: 'event', detailType: type, event };
}

type DetailOf<K extends keyof typeof detailSchemas> = z.infer<(typeof detailSchemas)[K]>;
type Base = Pick<StatusEvent, 'eventId' | 'notificationId' | 'sesMessageId'>;

function toStatusEvent(
  sesType: keyof typeof detailSchemas,
  detail: DetailOf<keyof typeof detailSchemas>,
  base: Base,
): StatusEvent {
  switch (sesType) {
    case 'Send': {
      const d = detail as DetailOf<'Send'>;
      return {
        ...base,
        type: 'send',
        at: d.mail.timestamp,
        recipients: [],
        everyone: { status: 'sent' },
      };
    }
    case 'Delivery': {
      const d = detail as DetailOf<'Delivery'>;
      const smtp = d.delivery.smtpResponse;
      return {
        ...base,
        type: 'delivery',
        at: d.delivery.timestamp,
        recipients: d.delivery.recipients.map((address) =>
          withOptional(
            { address: bareAddress(address), status: 'delivered' },
            {
              smtpStatus: enhancedStatus(smtp),
              diagnostic: smtp,
            },
          ),
        ),
      };
    }
    case 'DeliveryDelay': {
      const d = detail as DetailOf<'DeliveryDelay'>;
      const { delayType } = d.deliveryDelay;
      return {
        ...base,
        type: 'delivery_delay',
        at: d.deliveryDelay.timestamp,
        delayType,
        recipients: d.deliveryDelay.delayedRecipients.map((r) =>
          withOptional(
            {
              address: bareAddress(r.emailAddress),
              status: 'delayed',
              reason: withOptional(
                { code: `delay_${snakeCase(delayType)}`, retryable: true },
                { detail: r.diagnosticCode },
              ),
            },
            { smtpStatus: r.status, diagnostic: r.diagnosticCode },
          ),
        ),
      };
    }
    case 'Bounce': {
      const d = detail as DetailOf<'Bounce'>;
      const { bounceType, bounceSubType } = d.bounce;
      return {
        ...base,
        type: 'bounce',
        at: d.bounce.timestamp,
        bounceType,
        bounceSubType,
        recipients: d.bounce.bouncedRecipients.map((r) => {
          const outcome = classifyBounce(bounceType, bounceSubType, r.status);
          return withOptional(
            {
              address: bareAddress(r.emailAddress),
              status: outcome.status,
              reason: withOptional(outcome.reason, { detail: r.diagnosticCode }),
            },
            { smtpStatus: r.status, diagnostic: r.diagnosticCode },
          );
        }),
      };
    }
    case 'Complaint': {
      const d = detail as DetailOf<'Complaint'>;
      // complaintSubType OnAccountSuppressionList: SES did not send to this address because a
      // complaint put it on the account's suppression list; no new complaint was made.
      const suppressed = d.complaint.complaintSubType === 'OnAccountSuppressionList';
      return withOptional(
        {
          ...base,
          type: 'complaint' as const,
          at: d.complaint.timestamp,
          recipients: d.complaint.complainedRecipients.map((r): EventRecipient =>
            suppressed
              ? {
                  address: bareAddress(r.emailAddress),
                  status: 'suppressed',
                  reason: { code: 'on_suppression_list', retryable: false, detail: 'complaint' },
                }
              : { address: bareAddress(r.emailAddress) },
          ),
        },
        { complaintFeedbackType: d.complaint.complaintFeedbackType },
      );
    }
    case 'Reject': {
      const d = detail as DetailOf<'Reject'>;
      return {
        ...base,
        type: 'reject',
        at: d.mail.timestamp,
        recipients: [],
        everyone: {
          status: 'rejected',
          reason: withOptional(
            { code: 'message_rejected', retryable: false },
            { detail: d.reject.reason },
          ),
        },
      };
    }
    case 'Rendering Failure': {
      const d = detail as DetailOf<'Rendering Failure'>;
      return {
        ...base,
        type: 'rendering_failure',
        at: d.mail.timestamp,
        recipients: [],
        everyone: {
          status: 'rejected',
          reason: withOptional(
            { code: 'rendering_failed', retryable: false },
            { detail: d.failure.errorMessage },
          ),
        },
      };
    }
  }
}

/**
 * What a bounce means for one recipient. SES publishes only hard bounces and soft bounces it
 * stopped retrying, so every bounce is final for this message; `retryable` says whether sending
 * to the address again later could work. Undetermined counts as retryable: treating an
 * ambiguous bounce as permanent would give up on addresses that work.
 */
export function classifyBounce(
  bounceType: string,
  bounceSubType: string,
  smtpStatus?: string,
): { status: 'bounced' | 'suppressed'; reason: Reason } {
  if (bounceType === 'Permanent') {
    switch (bounceSubType) {
      case 'OnAccountSuppressionList':
        return { status: 'suppressed', reason: { code: 'on_suppression_list', retryable: false } };
      case 'Suppressed':
        // SES's global suppression list: the address bounced recently for other senders too.
        return {
          status: 'bounced',
          reason: { code: 'on_global_suppression_list', retryable: false },
        };
      case 'NoEmail':
        return { status: 'bounced', reason: { code: 'mailbox_does_not_exist', retryable: false } };
      case 'UnsubscribedRecipient':
        return { status: 'bounced', reason: { code: 'recipient_unsubscribed', retryable: false } };
      default:
        return { status: 'bounced', reason: { code: permanentCode(smtpStatus), retryable: false } };
    }
  }
  if (bounceType === 'Transient') {
    const codes: Record<string, string> = {
      MailboxFull: 'mailbox_full',
      MessageTooLarge: 'message_too_large',
      ContentRejected: 'content_rejected',
      AttachmentRejected: 'attachment_rejected',
    };
    return {
      status: 'bounced',
      reason: { code: codes[bounceSubType] ?? 'transient_bounce', retryable: true },
    };
  }
  return { status: 'bounced', reason: { code: 'undetermined_bounce', retryable: true } };
}

/** RFC 3463 enhanced status codes that name the cause of a general hard bounce. */
function permanentCode(smtpStatus: string | undefined): string {
  switch (smtpStatus) {
    case '5.1.1':
    case '5.1.10':
      return 'mailbox_does_not_exist';
    case '5.1.2':
      return 'domain_does_not_exist';
    case '5.2.1':
      return 'mailbox_disabled';
    default:
      return 'permanent_bounce';
  }
}

/** "250 2.6.0 Message received" -> "2.6.0". */
function enhancedStatus(smtpResponse: string | undefined): string | undefined {
  return smtpResponse?.match(/\b([245]\.\d{1,3}\.\d{1,3})\b/)?.[1];
}

/** "Jane <jane@example.com>" -> "jane@example.com"; a bare address stays as it is. */
function bareAddress(address: string): string {
  const angle = address.match(/<([^<>]+)>\s*$/);
  return (angle?.[1] ?? address).trim();
}

/** "TransientCommunicationFailure" -> "transient_communication_failure". */
function snakeCase(value: string): string {
  return (
    value
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toLowerCase() || 'unknown'
  );
}

/** Adds the optional fields that have a value, so stored records hold no `undefined`s. */
function withOptional<T extends object, O extends Record<string, unknown>>(
  base: T,
  optional: O,
): T & Partial<{ [K in keyof O]: NonNullable<O[K]> }> {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== null && value !== '') out[key] = value;
  }
  return out as T & Partial<{ [K in keyof O]: NonNullable<O[K]> }>;
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}...` : value;
}
