// The local stack's stand-in for SES event publishing (development and test tooling, never
// deployed). aws-ses-v2-local publishes no events and keeps neither the email tags nor the
// configuration set of a send, so this module does two things:
// - it listens in front of the SES emulator (the worker's AWS_ENDPOINT_URL_SESV2 points here),
//   checks SendEmail's ConfigurationSetName and EmailTags as strictly as SES does, forwards
//   every request unchanged and remembers, per SES message id, the tags and configuration set;
// - it polls the emulator's `GET /store` and, for each email it has not seen yet that was sent
//   with a configuration set, publishes what SES's EventBridge destination would publish,
//   following the SES mailbox simulator, to the local events queue.
// Like SES, it publishes nothing for a send without a configuration set.
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SQSClient, SendMessageBatchCommand } from '@aws-sdk/client-sqs';

/** What the mailbox simulator does with a message to an address (SES Developer Guide). */
export type SimulatorOutcome = 'delivered' | 'bounced' | 'complained' | 'suppressed';

const SIMULATOR_DOMAIN = 'simulator.amazonses.com';

/**
 * `success@`, `ooto@` and any address outside the simulator are delivered (an out-of-office
 * reply is a delivery); `bounce@` bounces; `complaint@` is delivered and then complained about;
 * `suppressionlist@` is refused as on the account's suppression list. SES also accepts a
 * `+label` after the local part (`success+order-42@`).
 */
export function simulatorOutcome(address: string): SimulatorOutcome {
  const bare = bareAddress(address).toLowerCase();
  const at = bare.lastIndexOf('@');
  if (at < 0 || bare.slice(at + 1) !== SIMULATOR_DOMAIN) return 'delivered';
  switch (bare.slice(0, at).split('+')[0]) {
    case 'bounce':
      return 'bounced';
    case 'complaint':
      return 'complained';
    case 'suppressionlist':
      return 'suppressed';
    default:
      return 'delivered';
  }
}

/** One email as the emulator stored it, joined with what the send said. */
export interface ObservedEmail {
  messageId: string;
  from: string;
  subject: string;
  /** To, Cc and Bcc, as sent. */
  destination: string[];
  configurationSet: string;
  /** SendEmail's EmailTags, by name. */
  tags: Record<string, string>;
  /** When SES accepted the send. */
  sentAt: Date;
}

export interface SesEventContext {
  account: string;
  region: string;
  now: () => Date;
}

export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: 'aws.ses';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

/**
 * The events SES would publish for one email, in the order it would publish them: one Send
 * for the email (unless every recipient is on the suppression list: SES sends nothing then),
 * then per recipient a Delivery, a Bounce, or a Delivery followed by a Complaint.
 */
export function sesEventsFor(email: ObservedEmail, context: SesEventContext): EventBridgeEvent[] {
  const events: EventBridgeEvent[] = [];
  const recipients = email.destination.map((address) => ({
    address: bareAddress(address),
    outcome: simulatorOutcome(address),
  }));
  const mail = mailObject(email, context);
  const event = (detailType: string, eventType: string, body: Record<string, unknown>) => {
    const at = context.now();
    events.push({
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source: 'aws.ses',
      account: context.account,
      time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: context.region,
      resources: [
        `arn:aws:ses:${context.region}:${context.account}:configuration-set/${email.configurationSet}`,
      ],
      detail: { eventType, mail, ...body },
    });
    return at.toISOString();
  };
  const feedbackId = () => `${randomUUID()}-000000`;

  if (recipients.some((r) => r.outcome !== 'suppressed')) {
    event('Email Sent', 'Send', { send: {} });
  }
  for (const { address, outcome } of recipients) {
    const timestamp = context.now().toISOString();
    switch (outcome) {
      case 'delivered':
      case 'complained':
        event('Email Delivered', 'Delivery', {
          delivery: {
            timestamp,
            processingTimeMillis: Math.max(0, Date.parse(timestamp) - email.sentAt.getTime()),
            recipients: [address],
            smtpResponse: '250 2.6.0 Message received',
            reportingMTA: 'a8-21.smtp-out.amazonses.com',
          },
        });
        if (outcome === 'complained') {
          const complainedAt = context.now().toISOString();
          event('Email Complaint Received', 'Complaint', {
            complaint: {
              complainedRecipients: [{ emailAddress: address }],
              timestamp: complainedAt,
              feedbackId: feedbackId(),
              userAgent: 'Amazon SES Mailbox Simulator',
              complaintFeedbackType: 'abuse',
              arrivalDate: complainedAt,
            },
          });
        }
        break;
      case 'bounced':
        event('Email Bounced', 'Bounce', {
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [
              {
                emailAddress: address,
                action: 'failed',
                status: '5.1.1',
                diagnosticCode: 'smtp; 550 5.1.1 user unknown',
              },
            ],
            timestamp,
            feedbackId: feedbackId(),
            reportingMTA: 'dsn; a8-21.smtp-out.amazonses.com',
          },
        });
        break;
      case 'suppressed':
        event('Email Bounced', 'Bounce', {
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'OnAccountSuppressionList',
            bouncedRecipients: [
              {
                emailAddress: address,
                action: 'failed',
                status: '5.1.1',
                diagnosticCode:
                  'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
              },
            ],
            timestamp,
            feedbackId: feedbackId(),
            reportingMTA: 'dsn; amazonses.com',
          },
        });
        break;
    }
  }
  return events;
}

function mailObject(email: ObservedEmail, context: SesEventContext): Record<string, unknown> {
  const fromDomain = bareAddress(email.from).split('@')[1] ?? '';
  const tags: Record<string, string[]> = {
    'ses:configuration-set': [email.configurationSet],
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [fromDomain],
    'ses:caller-identity': ['local'],
  };
  for (const [name, value] of Object.entries(email.tags)) tags[name] = [value];
  return {
    timestamp: email.sentAt.toISOString(),
    source: email.from,
    sourceArn: `arn:aws:ses:${context.region}:${context.account}:identity/${fromDomain}`,
    sendingAccountId: context.account,
    messageId: email.messageId,
    destination: email.destination,
    headersTruncated: false,
    headers: [
      { name: 'From', value: email.from },
      { name: 'Subject', value: email.subject },
    ],
    commonHeaders: { from: [email.from], messageId: email.messageId, subject: email.subject },
    tags,
  };
}

/** "Jane <jane@example.com>" -> "jane@example.com"; a bare address stays as it is. */
function bareAddress(address: string): string {
  const angle = address.match(/<([^<>]+)>\s*$/);
  return (angle?.[1] ?? address).trim();
}

// --- SendEmail checks (SES v2 MessageTag and ConfigurationSetName rules) ---

/** SES: tag names and values only ASCII letters, digits, '_' and '-', 256 characters at most. */
const TAG_TEXT = /^[A-Za-z0-9_-]{1,256}$/;

interface SendRequest {
  ConfigurationSetName?: unknown;
  EmailTags?: unknown;
}

type SendCheck =
  | { ok: true; configurationSet?: string; tags: Record<string, string> }
  | { ok: false; status: number; type: string; message: string };

/** What SES would answer to a SendEmail request before sending, as far as events depend on it. */
export function checkSendRequest(body: SendRequest, configurationSets: string[]): SendCheck {
  const tags: Record<string, string> = {};
  if (body.EmailTags !== undefined) {
    if (!Array.isArray(body.EmailTags)) {
      return badRequest('EmailTags must be a list');
    }
    for (const tag of body.EmailTags as { Name?: unknown; Value?: unknown }[]) {
      const { Name: name, Value: value } = tag ?? {};
      if (typeof name !== 'string' || !TAG_TEXT.test(name)) {
        return badRequest(
          `Invalid tag name <${String(name)}>: only ASCII letters, numbers, _ and -`,
        );
      }
      if (typeof value !== 'string' || !TAG_TEXT.test(value)) {
        return badRequest(
          `Invalid tag value <${String(value)}>: only ASCII letters, numbers, _ and -`,
        );
      }
      tags[name] = value;
    }
  }
  const set = body.ConfigurationSetName;
  if (set === undefined) return { ok: true, tags };
  if (typeof set !== 'string' || !configurationSets.includes(set)) {
    return {
      ok: false,
      status: 404,
      type: 'NotFoundException',
      message: `Configuration set <${String(set)}> does not exist.`,
    };
  }
  return { ok: true, configurationSet: set, tags };
}

function badRequest(message: string): SendCheck {
  return { ok: false, status: 400, type: 'BadRequestException', message };
}

// --- the running source: recorder in front of the emulator, store poller, publisher ---

export interface SesEventSourceOptions {
  /** The SES emulator, e.g. http://127.0.0.1:8005. */
  sesUrl: string;
  /** Where to listen (loopback); 0 picks a free port. */
  port: number;
  sqsEndpoint: string;
  eventsQueueUrl: string;
  /** Configuration sets that exist (SendEmail with another one is refused, as in SES). */
  configurationSets: string[];
  pollIntervalMs?: number;
  region?: string;
  account?: string;
  /** Told about a failed poll or publish; the next poll retries. */
  onError?: (error: unknown) => void;
}

export interface SesEventSource {
  /** Point the worker's AWS_ENDPOINT_URL_SESV2 here. */
  url: string;
  /** Events published so far, by detail-type. */
  published: Record<string, number>;
  stop(): Promise<void>;
}

interface StoredEmail {
  messageId: string;
  /** When the emulator stored it (epoch seconds). */
  at: number;
  from: string;
  subject: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
}

interface RecordedSend {
  configurationSet?: string;
  tags: Record<string, string>;
  sentAt: Date;
}

const SEND_PATH = '/v2/email/outbound-emails';
const SQS_BATCH = 10;

export async function startSesEventSource(options: SesEventSourceOptions): Promise<SesEventSource> {
  const target = new URL(options.sesUrl);
  const region = options.region ?? 'us-east-1';
  const context: SesEventContext = {
    account: options.account ?? '000000000000',
    region,
    now: () => new Date(),
  };
  const sqs = new SQSClient({
    region,
    endpoint: options.sqsEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const sends = new Map<string, RecordedSend>();
  const done = new Set<string>();
  const published: Record<string, number> = {};
  const sockets = new Set<Socket>();
  // Sends forwarded whose answer (with the message id) has not come back yet: the emulator
  // stores the email before it answers, so a poll can see an email not yet joinable.
  let answersPending = 0;

  const answerError = (res: ServerResponse, status: number, type: string, message: string) => {
    const body = JSON.stringify({ message, __type: type });
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-amzn-errortype': type,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer,
    onAnswer?: (status: number, answer: Buffer) => void,
  ) => {
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const payload = Buffer.concat(chunks);
          onAnswer?.(answer.statusCode ?? 502, payload);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(payload);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method !== 'POST' || req.url?.split('?')[0] !== SEND_PATH) {
        forward(req, res, body);
        return;
      }
      let parsed: SendRequest;
      try {
        parsed = JSON.parse(body.toString('utf8')) as SendRequest;
      } catch {
        answerError(res, 400, 'BadRequestException', 'request body is not JSON');
        return;
      }
      const check = checkSendRequest(parsed ?? {}, options.configurationSets);
      if (!check.ok) {
        answerError(res, check.status, check.type, check.message);
        return;
      }
      const sentAt = new Date();
      answersPending += 1;
      res.on('close', () => (answersPending -= 1));
      forward(req, res, body, (status, answer) => {
        if (status !== 200) return;
        try {
          const { MessageId } = JSON.parse(answer.toString('utf8')) as { MessageId?: unknown };
          if (typeof MessageId !== 'string') return;
          sends.set(MessageId, {
            ...(check.configurationSet !== undefined
              ? { configurationSet: check.configurationSet }
              : {}),
            tags: check.tags,
            sentAt,
          });
        } catch {
          // The emulator answered 200 without JSON: nothing to join the store with.
        }
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const publish = async (events: EventBridgeEvent[]) => {
    for (let i = 0; i < events.length; i += SQS_BATCH) {
      const batch = events.slice(i, i + SQS_BATCH);
      const answer = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: options.eventsQueueUrl,
          Entries: batch.map((event, n) => ({ Id: String(n), MessageBody: JSON.stringify(event) })),
        }),
      );
      if (answer.Failed !== undefined && answer.Failed.length > 0) {
        throw new Error(`SendMessageBatch failed: ${answer.Failed[0]?.Message ?? 'unknown'}`);
      }
      for (const event of batch) {
        published[event['detail-type']] = (published[event['detail-type']] ?? 0) + 1;
      }
    }
  };

  // Each poll reads only the mail stored since `windowStart` (epoch seconds, `?since=`): the
  // emulator keeps every email, and reading the whole store each poll re-read and re-parsed
  // every email of the session, five times a second. `done` skips the overlap.
  let windowStart = 0;
  const poll = async () => {
    const startedAt = Math.floor(Date.now() / 1000);
    const url = new URL('/store', target);
    url.searchParams.set('since', String(windowStart));
    const answer = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!answer.ok) throw new Error(`GET /store answered ${answer.status}`);
    const { emails } = (await answer.json()) as { emails: StoredEmail[] };
    // Mail left for a later poll (its send not answered yet) keeps the window open behind it.
    let oldestLeft = startedAt;
    for (const stored of emails) {
      if (done.has(stored.messageId)) continue;
      const send = sends.get(stored.messageId);
      if (send === undefined && answersPending > 0) {
        oldestLeft = Math.min(oldestLeft, stored.at);
        continue;
      }
      if (send?.configurationSet !== undefined) {
        // Published before it is marked done: a failed publish is retried on the next poll.
        await publish(
          sesEventsFor(
            {
              messageId: stored.messageId,
              from: stored.from,
              subject: stored.subject,
              destination: [
                ...stored.destination.to,
                ...stored.destination.cc,
                ...stored.destination.bcc,
              ],
              configurationSet: send.configurationSet,
              tags: send.tags,
              sentAt: send.sentAt,
            },
            context,
          ),
        );
      }
      done.add(stored.messageId);
      sends.delete(stored.messageId);
    }
    // Everything stored after this poll began has `at` >= its second. A poll that failed
    // (a publish refused) leaves the window where it was, so its mail is read again.
    windowStart = oldestLeft;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = poll()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.pollIntervalMs ?? 200);
      });
  };
  tick();

  return {
    url: `http://127.0.0.1:${port}`,
    published,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      sqs.destroy();
    },
  };
}
