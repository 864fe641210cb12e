// The one place that talks to SES v2. It turns an envelope into a SendEmail request and every
// outcome into the worker's vocabulary (sent / retryable / permanent / account-paused), so the
// rest of the worker never sees an SDK exception.
import {
  GetAccountCommand,
  SendEmailCommand,
  type SESv2Client,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import { NOTIFICATION_ID_TAG, type Envelope } from '@notify/shared';
import { classifySesError, type SesFailure } from './classify-ses-error.ts';
import type { SendingProbeResult } from './sending-gate.ts';

export type SendResult = ({ kind: 'sent'; sesMessageId: string } | SesFailure) & {
  latencyMs: number;
};

export interface EmailSender {
  send(envelope: Envelope): Promise<SendResult>;
  /** Asks SES whether the account may send; 'unknown' when it cannot tell. */
  probeSending(): Promise<SendingProbeResult>;
}

export interface SesAdapterOptions {
  from: string;
  configurationSet?: string;
}

// SES tag names and values allow only ASCII letters, digits, '_' and '-', up to 256 characters.
const TAG_SAFE = /^[A-Za-z0-9_-]{1,256}$/;
const UTF8 = 'UTF-8';

export function buildSendEmailInput(
  envelope: Envelope,
  options: SesAdapterOptions,
): SendEmailCommandInput {
  const { email } = envelope;
  // The status consumer finds the notification of an SES event by this tag. The envelope id is
  // a UUID (parseEnvelope checks it): hex digits and dashes, 36 characters, so always tag-safe.
  const tags = [{ Name: NOTIFICATION_ID_TAG, Value: envelope.id }];
  if (envelope.reference !== undefined && TAG_SAFE.test(envelope.reference)) {
    tags.push({ Name: 'reference', Value: envelope.reference });
  }
  return {
    FromEmailAddress: options.from,
    Destination: {
      ToAddresses: email.to,
      ...(email.cc.length > 0 ? { CcAddresses: email.cc } : {}),
      ...(email.bcc.length > 0 ? { BccAddresses: email.bcc } : {}),
    },
    ...(email.replyTo.length > 0 ? { ReplyToAddresses: email.replyTo } : {}),
    Content: {
      Simple: {
        Subject: { Data: email.subject, Charset: UTF8 },
        Body: {
          ...(email.text !== undefined ? { Text: { Data: email.text, Charset: UTF8 } } : {}),
          ...(email.html !== undefined ? { Html: { Data: email.html, Charset: UTF8 } } : {}),
        },
      },
    },
    ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
    EmailTags: tags,
  };
}

export function createSesAdapter(
  client: SESv2Client,
  options: SesAdapterOptions,
  now: () => number = performance.now.bind(performance),
): EmailSender {
  return {
    async send(envelope) {
      const started = now();
      try {
        const output = await client.send(
          new SendEmailCommand(buildSendEmailInput(envelope, options)),
        );
        return { kind: 'sent', sesMessageId: output.MessageId ?? '', latencyMs: now() - started };
      } catch (error) {
        return { ...classifySesError(error), latencyMs: now() - started };
      }
    },
    async probeSending() {
      try {
        const account = await client.send(new GetAccountCommand({}));
        if (account.SendingEnabled === false || account.EnforcementStatus === 'SHUTDOWN') {
          return 'paused';
        }
        return account.SendingEnabled === true ? 'enabled' : 'unknown';
      } catch {
        return 'unknown';
      }
    },
  };
}

/** SES's per-second sending quota for this account and region (GetAccount SendQuota). */
export async function readMaxSendRate(client: SESv2Client): Promise<number> {
  const account = await client.send(new GetAccountCommand({}));
  const rate = account.SendQuota?.MaxSendRate;
  if (typeof rate !== 'number' || !(rate > 0)) {
    throw new Error('GetAccount returned no positive SendQuota.MaxSendRate');
  }
  return rate;
}
