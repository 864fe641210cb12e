// Smoke test of the notification API: the checks a deploy needs before production traffic
// shifts. A fresh task may still be warming up, so refused connections and 5xx answers are
// retried until one overall deadline; any other wrong answer fails at once, because waiting
// would not change it.
import { randomUUID } from 'node:crypto';
import { DeadlineExceededError, poll } from '@notify/actions-shared';
import { checkDelivery, DELIVERY_CHECK } from './delivery.ts';
import {
  attempt,
  excerpt,
  expectStatus,
  messageOf,
  MisconfiguredError,
  WarmingUpError,
  type Answer,
  type HttpSettings,
  type RequestSpec,
} from './http.ts';

export { misconfiguration } from './http.ts';

export interface SmokeCheck {
  name: string;
  ok: boolean;
  latencyMs: number;
  detail: string;
}

export interface SmokeReport {
  passed: number;
  failed: number;
  checks: SmokeCheck[];
}

export interface SmokeOptions {
  baseUrl: string;
  token: string;
  /** Where the real notification goes; default the SES mailbox simulator. */
  recipient?: string;
  /** Overall time allowed for warming-up retries, from the start of the run. Default 60 s. */
  deadlineMs?: number;
  fetchImpl?: typeof fetch;
  log?: (line: string) => void;
  /** Time allowed for one HTTP request. Default 10 s. */
  requestTimeoutMs?: number;
  /** Slowest acceptable response in the response-time check. Default 2 s. */
  latencyBudgetMs?: number;
  /**
   * Also check that the notification reaches `delivered` (GET /v1/notifications/{id}). Off
   * unless asked for: the API must serve the status endpoint and the worker must be running.
   */
  checkDelivery?: boolean;
  /** Time allowed for the notification to reach `delivered`. Default 120 s. */
  deliveryDeadlineMs?: number;
  /** Delay between status reads. Default 1 s. */
  deliveryIntervalMs?: number;
}

export const DEFAULT_RECIPIENT = 'success@simulator.amazonses.com';
export const DEFAULT_DELIVERY_DEADLINE_MS = 120_000;
const RESPONSE_TIME_SAMPLES = 5;

interface Outcome {
  answer?: Answer;
  /** Set when the deadline passed while the endpoint was still warming up. */
  gaveUp?: string;
  /** Set when the endpoint cannot be reached as configured (DNS, TLS). */
  misconfigured?: string;
  attempts: number;
}

/** One smoke run's settings, shared by every check. */
interface SmokeRun {
  http: HttpSettings;
  token: string;
  recipient: string;
  runId: string;
  /** Warming-up retries stop here (epoch ms). */
  deadline: number;
  latencyBudgetMs: number;
  log: (line: string) => void;
  /** The one real notification this run sends (and, unauthenticated, has refused). */
  notification: SmokeNotification;
}

interface SmokeNotification {
  to: string;
  subject: string;
  text: string;
  reference: string;
}

/** Sends the request until it gets a non-transient answer or the deadline passes. */
async function request(run: SmokeRun, spec: RequestSpec): Promise<Outcome> {
  let attempts = 0;
  let lastProblem = '';
  let lastAnswer: Answer | undefined;
  try {
    const answer = await poll(
      async () => {
        attempts += 1;
        return { done: true, value: await attempt(run.http, spec) };
      },
      {
        intervalMs: 250,
        maxIntervalMs: 2_000,
        deadline: run.deadline,
        isRetryableError: (error) => error instanceof WarmingUpError,
        onRetryableError: (error, delayMs) => {
          const warming = error as WarmingUpError;
          lastProblem = warming.message;
          lastAnswer = warming.answer;
          const remaining = run.deadline - Date.now();
          if (remaining > 0) {
            const wait = Math.min(delayMs, remaining);
            run.log(`${spec.method} ${spec.path}: ${warming.message}; retrying in ~${wait} ms`);
          }
        },
      },
    );
    return { answer, attempts };
  } catch (error) {
    if (error instanceof MisconfiguredError) return { misconfigured: error.message, attempts };
    if (!(error instanceof DeadlineExceededError)) throw error;
    return { answer: lastAnswer, gaveUp: lastProblem, attempts };
  }
}

function logged(run: SmokeRun, result: SmokeCheck): SmokeCheck {
  run.log(
    `${result.ok ? 'PASS' : 'FAIL'} ${result.name} (${result.latencyMs} ms): ${result.detail}`,
  );
  return result;
}

/** One request-and-judge check; the answer is returned for checks that read it further. */
async function check(
  run: SmokeRun,
  name: string,
  spec: RequestSpec,
  judge: (answer: Answer) => string | undefined,
  describeSuccess: (answer: Answer) => string,
): Promise<{ result: SmokeCheck; answer?: Answer }> {
  const outcome = await request(run, spec);
  const retried = outcome.attempts > 1 ? ` (after ${outcome.attempts} attempts)` : '';
  if (outcome.misconfigured !== undefined) {
    return {
      result: logged(run, { name, ok: false, latencyMs: 0, detail: outcome.misconfigured }),
    };
  }
  if (outcome.gaveUp !== undefined) {
    const detail = `still failing when the deadline passed${retried}: ${outcome.gaveUp}`;
    const latencyMs = outcome.answer?.latencyMs ?? 0;
    return { result: logged(run, { name, ok: false, latencyMs, detail }) };
  }
  const answer = outcome.answer as Answer;
  const problem = judge(answer);
  const result = logged(run, {
    name,
    ok: problem === undefined,
    latencyMs: answer.latencyMs,
    detail: (problem ?? describeSuccess(answer)) + retried,
  });
  return { result, answer };
}

async function livenessCheck(run: SmokeRun): Promise<SmokeCheck> {
  const spec: RequestSpec = { method: 'GET', path: '/healthz' };
  const judged = await check(
    run,
    'liveness',
    spec,
    (a) => expectStatus(a, 200),
    () => 'GET /healthz answered 200',
  );
  return judged.result;
}

async function readinessCheck(run: SmokeRun): Promise<SmokeCheck> {
  const spec: RequestSpec = { method: 'GET', path: '/readyz' };
  const judged = await check(
    run,
    'readiness',
    spec,
    (a) => expectStatus(a, 200),
    () => 'GET /readyz answered 200',
  );
  return judged.result;
}

async function authRejectedCheck(run: SmokeRun): Promise<SmokeCheck> {
  const judged = await check(
    run,
    'auth rejected without token',
    { method: 'POST', path: '/v1/notifications', body: run.notification },
    (answer) => expectStatus(answer, 401) ?? expectErrorShape(answer),
    (answer) => `POST without a token answered 401 (${errorCode(answer)})`,
  );
  return judged.result;
}

async function validationCheck(run: SmokeRun): Promise<SmokeCheck> {
  const judged = await check(
    run,
    'validation rejects bad body',
    {
      method: 'POST',
      path: '/v1/notifications',
      headers: { authorization: `Bearer ${run.token}` },
      body: { to: 'not-an-address' },
    },
    (answer) =>
      expectStatus(answer, 400) ??
      expectErrorShape(answer) ??
      (errorNamesField(answer.json, 'to')
        ? undefined
        : `400 error does not name the field 'to': ${excerpt(answer.text)}`),
    (answer) => `bad body answered 400 (${errorCode(answer)}) naming 'to'`,
  );
  return judged.result;
}

function judgeAccepted(answer: Answer): string | undefined {
  const statusProblem = expectStatus(answer, 202);
  if (statusProblem) return statusProblem;
  const body = answer.json as { id?: unknown; status?: unknown } | undefined;
  if (typeof body?.id !== 'string' || body.id === '') {
    return `202 without an id: ${excerpt(answer.text)}`;
  }
  if (body.status !== 'queued') {
    return `202 with status ${JSON.stringify(body.status)} instead of "queued"`;
  }
  return undefined;
}

/** The real notification; its id when the API accepted it. */
async function acceptedCheck(run: SmokeRun): Promise<{ result: SmokeCheck; id?: string }> {
  const { result, answer } = await check(
    run,
    'notification accepted',
    {
      method: 'POST',
      path: '/v1/notifications',
      // The same key on every retry: a 5xx after the enqueue must not send twice.
      headers: { authorization: `Bearer ${run.token}`, 'idempotency-key': `smoke-${run.runId}` },
      body: run.notification,
    },
    judgeAccepted,
    (answer) =>
      `queued ${(answer.json as { id: string }).id} for ${maskAddress(run.recipient)} (202)`,
  );
  return { result, id: result.ok ? (answer?.json as { id: string }).id : undefined };
}

/** Several sequential liveness calls once warm: catches a task that answers, but slowly. */
async function responseTimeCheck(run: SmokeRun): Promise<SmokeCheck> {
  const name = 'response time';
  const latencies: number[] = [];
  const fail = (detail: string): SmokeCheck => {
    run.log(`FAIL ${name}: ${detail}`);
    return { name, ok: false, latencyMs: latencies.at(-1) ?? 0, detail };
  };
  for (let i = 0; i < RESPONSE_TIME_SAMPLES; i += 1) {
    let answer: Answer;
    try {
      answer = await attempt(run.http, { method: 'GET', path: '/healthz' });
    } catch (error) {
      return fail(`request ${i + 1} of ${RESPONSE_TIME_SAMPLES} failed: ${messageOf(error)}`);
    }
    if (answer.status !== 200) {
      return fail(`request ${i + 1} of ${RESPONSE_TIME_SAMPLES} answered ${answer.status}`);
    }
    latencies.push(answer.latencyMs);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const max = sorted[sorted.length - 1];
  const ok = max <= run.latencyBudgetMs;
  const detail = `GET /healthz x${RESPONSE_TIME_SAMPLES}: median ${median} ms, max ${max} ms (budget ${run.latencyBudgetMs} ms)`;
  run.log(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
  return { name, ok, latencyMs: median, detail };
}

/** The accepted notification reaches `delivered`; latency is the time it took. */
async function deliveredCheck(
  run: SmokeRun,
  id: string | undefined,
  options: SmokeOptions,
): Promise<SmokeCheck> {
  if (id === undefined) {
    const detail = 'not checked: no notification was accepted';
    return logged(run, { name: DELIVERY_CHECK, ok: false, latencyMs: 0, detail });
  }
  const verdict = await checkDelivery({
    http: run.http,
    token: run.token,
    id,
    deadlineMs: options.deliveryDeadlineMs ?? DEFAULT_DELIVERY_DEADLINE_MS,
    intervalMs: options.deliveryIntervalMs ?? 1_000,
    log: run.log,
  });
  return logged(run, {
    name: DELIVERY_CHECK,
    ok: verdict.ok,
    latencyMs: verdict.elapsedMs,
    detail: verdict.detail,
  });
}

export async function runSmokeTests(options: SmokeOptions): Promise<SmokeReport> {
  const base = parseBaseUrl(options.baseUrl);
  const recipient = options.recipient ?? DEFAULT_RECIPIENT;
  const runId = randomUUID();
  const run: SmokeRun = {
    http: {
      base,
      fetchImpl: options.fetchImpl ?? fetch,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    },
    token: options.token,
    recipient,
    runId,
    deadline: Date.now() + (options.deadlineMs ?? 60_000),
    latencyBudgetMs: options.latencyBudgetMs ?? 2_000,
    log: options.log ?? (() => {}),
    notification: {
      to: recipient,
      subject: `Smoke test ${runId}`,
      text: `Smoke test of ${base.origin} at ${new Date().toISOString()}.`,
      reference: `smoke-${runId}`,
    },
  };
  const checks: SmokeCheck[] = [
    await livenessCheck(run),
    await readinessCheck(run),
    await authRejectedCheck(run),
    await validationCheck(run),
  ];
  const accepted = await acceptedCheck(run);
  checks.push(accepted.result, await responseTimeCheck(run));
  if (options.checkDelivery) checks.push(await deliveredCheck(run, accepted.id, options));
  const passed = checks.filter((c) => c.ok).length;
  return { passed, failed: checks.length - passed, checks };
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`baseUrl must be an absolute http(s) URL; got '${baseUrl}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`baseUrl must use http or https; got '${url.protocol}'`);
  }
  // A trailing slash makes relative resolution keep any path prefix (e.g. https://host/api).
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The API's error contract: `{ "error": { "code": string, "message": string, ... } }`. */
function expectErrorShape(answer: Answer): string | undefined {
  const error = (answer.json as { error?: { code?: unknown; message?: unknown } } | undefined)
    ?.error;
  if (typeof error?.code === 'string' && typeof error.message === 'string') return undefined;
  return `HTTP ${answer.status} without the JSON error format {"error":{"code","message"}}: ${excerpt(answer.text)}`;
}

function errorCode(answer: Answer): string {
  return String((answer.json as { error: { code: string } }).error.code);
}

/**
 * True when the error points at `field`: in `details` as a key, a path segment or a string
 * such as "to", "to[0]" or "to: invalid email", or in the message as a quoted field name.
 */
export function errorNamesField(body: unknown, field: string): boolean {
  const error = (body as { error?: { message?: unknown; details?: unknown } } | undefined)?.error;
  if (!error) return false;
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Followed by a quote, ':', an index ("to[0]", "to.0"), "is"/"must", or nothing.
  const inText = new RegExp(
    `(^|[\\s'"\`(\\[])${escaped}(['"\`)\\]]|:|\\[\\d|\\.\\w|\\s+(is|must)\\b|$)`,
  );
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string') return value === field || inText.test(value);
    if (Array.isArray(value)) return value.some(visit);
    if (value && typeof value === 'object') {
      return Object.entries(value).some(([key, inner]) => key === field || visit(inner));
    }
    return false;
  };
  return visit(error.details) || (typeof error.message === 'string' && inText.test(error.message));
}

/** Keeps logs free of recipient addresses: `s******@simulator.amazonses.com`. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}${'*'.repeat(Math.max(1, at - 1))}${address.slice(at)}`;
}
