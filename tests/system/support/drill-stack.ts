// The real local stack for the fault drills, each piece a process of its own on free loopback
// ports: the emulators, notification-api and email-sender (their own main.ts, configured as in
// AWS but with short timeouts so a drill takes seconds). Offers what every drill needs: posting
// notifications while keeping a ledger of the 202s, and checking the invariant "every 202 is
// delivered or sits in the dead-letter queue with a reason".
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import {
  startEmulators,
  type Emulators,
  freePort,
  startNodeProcess,
  waitForHttp,
  type ManagedProcess,
  provisionLocalResources,
  type LocalResources,
  apiEnv,
  DEV_TOKEN,
  workerEnv,
} from '@notify/local-stack';

const ROOT = join(__dirname, '..', '..', '..');
const API_MAIN = join(ROOT, 'services/notification-api/src/main.ts');
const WORKER_MAIN = join(ROOT, 'services/email-sender/src/main.ts');

/** Short timeouts: a lost message would come back in seconds, so the drills can wait for it. */
export const DRILL_TIMINGS = {
  visibilityTimeoutSeconds: 3,
  maxReceiveCount: 10,
  workerShutdownTimeoutMs: 5_000,
};

/**
 * Dependency deadlines for the hung-dependency drills: small, so a hung call ends in a fraction
 * of a second, and consistent with the relations the services check at start.
 */
export const DRILL_API_TIMEOUTS = {
  SQS_ATTEMPT_TIMEOUT_MS: '500',
  SQS_MAX_ATTEMPTS: '2',
  DYNAMODB_ATTEMPT_TIMEOUT_MS: '300',
  DYNAMODB_MAX_ATTEMPTS: '2',
  IDEMPOTENCY_LEASE_SECONDS: '20',
};

/** Messages a drill worker holds at most (so duplicates after a crash are bounded by it). */
export const DRILL_WORKER_MAX_IN_FLIGHT = 20;

export interface ServiceHandle {
  proc: ManagedProcess;
  url: string;
}

export interface WorkerStatusSnapshot {
  inFlight: number;
  sent: number;
  retried: number;
  failedAttempts: number;
  failedMessages: number;
  deadLettered: number;
  ready: boolean;
  queueReachable: boolean;
}

export interface DrillStack {
  emulators: Emulators;
  sqsUrl: string;
  sesUrl: string;
  resources: LocalResources;
  sqs: SQSClient;
  /** Queue URLs of `resources` addressed through another endpoint (a proxy) on loopback. */
  resourcesVia(endpoint: string): LocalResources;
  startApi(options?: {
    sqsEndpoint?: string;
    dynamodbEndpoint?: string;
    env?: Record<string, string>;
  }): Promise<ServiceHandle>;
  startWorker(options?: {
    sqsEndpoint?: string;
    sesEndpoint?: string;
    env?: Record<string, string>;
  }): Promise<ServiceHandle>;
  stop(): Promise<void>;
}

export async function startDrillStack(prefix: string): Promise<DrillStack> {
  const ports = { sqs: await freePort(), ses: await freePort(), dynamodb: await freePort() };
  const emulators = await startEmulators(ports);
  const services: ManagedProcess[] = [];
  const sqsUrl = emulators.env.AWS_ENDPOINT_URL_SQS;
  try {
    const resources = await provisionLocalResources({
      prefix,
      endpoints: { sqs: sqsUrl, dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB },
      visibilityTimeoutSeconds: DRILL_TIMINGS.visibilityTimeoutSeconds,
      maxReceiveCount: DRILL_TIMINGS.maxReceiveCount,
    });
    const sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: sqsUrl,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const resourcesVia = (endpoint: string): LocalResources => {
      const swap = (url: string) => url.replace(sqsUrl, endpoint);
      return { ...resources, queueUrl: swap(resources.queueUrl), dlqUrl: swap(resources.dlqUrl) };
    };
    const awsEnv = (sqsEndpoint = sqsUrl, sesEndpoint = emulators.env.AWS_ENDPOINT_URL_SESV2) => ({
      ...emulators.env,
      AWS_ENDPOINT_URL_SQS: sqsEndpoint,
      AWS_ENDPOINT_URL_SESV2: sesEndpoint,
    });
    return {
      emulators,
      sqsUrl,
      sesUrl: emulators.env.AWS_ENDPOINT_URL_SESV2,
      resources,
      sqs,
      resourcesVia,
      async startApi(options = {}) {
        const port = await freePort();
        const r = options.sqsEndpoint ? resourcesVia(options.sqsEndpoint) : resources;
        const proc = startNodeProcess({
          name: 'notification-api',
          args: [API_MAIN],
          env: {
            ...apiEnv(
              {
                ...awsEnv(options.sqsEndpoint),
                ...(options.dynamodbEndpoint
                  ? { AWS_ENDPOINT_URL_DYNAMODB: options.dynamodbEndpoint }
                  : {}),
              },
              r,
              port,
            ),
            RATE_LIMIT_PER_SECOND: '100000',
            RATE_LIMIT_BURST: '100000',
            READINESS_CACHE_MS: '200',
            // Above the longest request with the default deadlines (22 s), as config.ts requires.
            SHUTDOWN_TIMEOUT_MS: '25000',
            ...options.env,
          },
        });
        services.push(proc);
        const url = `http://127.0.0.1:${port}`;
        await waitForHttp(`${url}/healthz`, 200, 20_000);
        return { proc, url };
      },
      async startWorker(options = {}) {
        const port = await freePort();
        const r = options.sqsEndpoint ? resourcesVia(options.sqsEndpoint) : resources;
        const proc = startNodeProcess({
          name: 'email-sender',
          args: [WORKER_MAIN],
          env: {
            ...workerEnv(awsEnv(options.sqsEndpoint, options.sesEndpoint), r, port),
            POLLERS: '2',
            MAX_IN_FLIGHT: String(DRILL_WORKER_MAX_IN_FLIGHT),
            WAIT_TIME_SECONDS: '1',
            VISIBILITY_TIMEOUT_SECONDS: String(DRILL_TIMINGS.visibilityTimeoutSeconds),
            // Below the 3 s visibility timeout, as the worker requires.
            SES_TIMEOUT_MS: '2000',
            MAX_RECEIVE_COUNT: String(DRILL_TIMINGS.maxReceiveCount),
            RETRY_BASE_SECONDS: '1',
            RETRY_MAX_SECONDS: '2',
            SEND_RATE_PER_SECOND: '1000',
            SHUTDOWN_TIMEOUT_MS: String(DRILL_TIMINGS.workerShutdownTimeoutMs),
            ...options.env,
          },
        });
        services.push(proc);
        const url = `http://127.0.0.1:${port}`;
        await waitForHttp(`${url}/healthz`, 200, 20_000);
        return { proc, url };
      },
      async stop() {
        await Promise.all(services.map((s) => s.stop('SIGKILL', 2_000)));
        sqs.destroy();
        await emulators.stop();
      },
    };
  } catch (error) {
    await Promise.all(services.map((s) => s.stop('SIGKILL', 2_000)));
    await emulators.stop();
    throw error;
  }
}

export async function workerStatus(worker: ServiceHandle): Promise<WorkerStatusSnapshot> {
  const res = await fetch(`${worker.url}/status`);
  return (await res.json()) as WorkerStatusSnapshot;
}

export interface PostOutcome {
  subject: string;
  status: number;
  retryAfter: string | null;
  errorCode?: string;
}

export interface NotificationOptions {
  recipient?: (index: number) => string;
}

/** POSTs one notification; status 0 when the connection failed (no answer at all). */
export async function postNotification(
  apiUrl: string,
  subject: string,
  recipient = 'drill@example.com',
  headers: Record<string, string> = {},
): Promise<PostOutcome> {
  try {
    const res = await fetch(`${apiUrl}/v1/notifications`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${DEV_TOKEN}`,
        ...headers,
      },
      body: JSON.stringify({ to: recipient, subject, text: `Fault drill message ${subject}.` }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json()) as { error?: { code?: string } };
    return {
      subject,
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      ...(body.error?.code ? { errorCode: body.error.code } : {}),
    };
  } catch {
    return { subject, status: 0, retryAfter: null };
  }
}

/** Posts `count` notifications `<prefix><i>`, at most `concurrency` at a time. */
export async function postMany(
  apiUrl: string,
  prefix: string,
  count: number,
  options: NotificationOptions & { concurrency?: number } = {},
): Promise<PostOutcome[]> {
  const outcomes: PostOutcome[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const i = next++;
      outcomes.push(await postNotification(apiUrl, `${prefix}${i}`, options.recipient?.(i)));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, lane));
  return outcomes;
}

export const accepted = (outcomes: PostOutcome[]) =>
  outcomes.filter((o) => o.status === 202).map((o) => o.subject);

export async function deliveredSubjects(sesUrl: string): Promise<string[]> {
  const res = await fetch(`${sesUrl}/store`);
  const store = (await res.json()) as { emails: Array<{ subject: string }> };
  return store.emails.map((e) => e.subject);
}

/** Waits (up to timeoutMs) until the SES emulator holds at least `count` emails: mid-run. */
export async function waitForDeliveries(
  sesUrl: string,
  count: number,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await deliveredSubjects(sesUrl)).length < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function depth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/**
 * Waits until every accepted subject is delivered or the dead-letter queue holds the rest and
 * the email queue is empty; throws with the counts on timeout.
 */
export async function waitUntilSettled(
  stack: DrillStack,
  subjects: string[],
  timeoutMs: number,
): Promise<void> {
  const wanted = new Set(subjects);
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const delivered = new Set((await deliveredSubjects(stack.sesUrl)).filter((s) => wanted.has(s)));
    const queued = await depth(stack.sqs, stack.resources.queueUrl);
    const dead = await depth(stack.sqs, stack.resources.dlqUrl);
    last = `${delivered.size} delivered, ${dead} dead-lettered, ${queued} still queued, of ${wanted.size}`;
    if (queued === 0 && delivered.size + dead >= wanted.size) return;
    await sleep(200);
  }
  throw new Error(`not settled after ${timeoutMs} ms: ${last}`);
}

export interface LedgerCheck {
  delivered: string[];
  /** subject -> failure-reason of its dead-letter message. */
  deadLettered: Map<string, string>;
  /** Accepted subjects found neither delivered nor dead-lettered with a reason. */
  lost: string[];
  /** Emails delivered more than once, counted beyond the first copy. */
  duplicates: number;
}

function subjectOf(message: Message): string | undefined {
  try {
    return (JSON.parse(message.Body ?? '') as { email?: { subject?: string } }).email?.subject;
  } catch {
    return undefined;
  }
}

/** The drills' invariant, read from the SES store and the dead-letter queue. */
export async function checkLedger(stack: DrillStack, subjects: string[]): Promise<LedgerCheck> {
  const wanted = new Set(subjects);
  const copies = new Map<string, number>();
  for (const subject of await deliveredSubjects(stack.sesUrl)) {
    if (wanted.has(subject)) copies.set(subject, (copies.get(subject) ?? 0) + 1);
  }
  const deadLettered = new Map<string, string>();
  for (;;) {
    const out = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.resources.dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    if (!out.Messages?.length) break;
    for (const message of out.Messages) {
      const subject = subjectOf(message);
      const reason = message.MessageAttributes?.['failure-reason']?.StringValue;
      if (subject && reason) deadLettered.set(subject, reason);
    }
  }
  const lost = subjects.filter((s) => !copies.has(s) && !deadLettered.has(s));
  let duplicates = 0;
  for (const n of copies.values()) duplicates += n - 1;
  return { delivered: [...copies.keys()], deadLettered, lost, duplicates };
}
