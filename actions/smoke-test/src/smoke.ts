// Smoke test of the notification API: the checks a deploy needs before production traffic
// shifts. A fresh task may still be warming up, so refused connections and 5xx answers are
// retried until one overall deadline; any other wrong answer fails at once, because waiting
// would not change it.
import { randomUUID } from 'node:crypto';
import { DeadlineExceededError, poll } from '@notify/actions-shared';

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
}

export const DEFAULT_RECIPIENT = 'success@simulator.amazonses.com';
const RESPONSE_TIME_SAMPLES = 5;

interface Answer {
  status: number;
  text: string;
  json: unknown;
  latencyMs: number;
}

/** A failure that may clear up on its own: nothing listening yet, a timeout, or a 5xx. */
class WarmingUpError extends Error {
  readonly answer: Answer | undefined;
  constructor(message: string, answer?: Answer) {
    super(message);
    this.name = 'WarmingUpError';
    this.answer = answer;
  }
}

/**
 * A failure no wait can fix: the name does not resolve, or TLS fails (wrong certificate, or a
 * plain-HTTP port). Retrying it as "warming up" only delays the rollback it ends in.
 */
class MisconfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MisconfiguredError';
  }
}

const certificateCodes = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

/** What to fix when `error` is a DNS or TLS failure; undefined for anything that may pass. */
export function misconfiguration(error: unknown, base: URL): string | undefined {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  const detail = typeof cause?.message === 'string' ? cause.message : code;
  const host = base.hostname;
  if (code === 'ENOTFOUND') {
    return (
      `DNS: ${host} does not resolve (${detail}). Create the record that points it at the ALB, ` +
      'or fix the host in the URL; waiting will not help.'
    );
  }
  if (certificateCodes.has(code)) {
    return (
      `TLS: the certificate for ${host} is not valid for it (${code}: ${detail}). Use a URL whose ` +
      "host the ACM certificate covers: set api_domain_name in the environment's Terraform (an " +
      "ALB's *.elb.amazonaws.com name is covered by no certificate) and point it at the ALB."
    );
  }
  if (/^ERR_SSL_|^EPROTO$/.test(code)) {
    return (
      `TLS: ${base.host} did not complete a TLS handshake (${code}: ${detail}). The URL says https ` +
      'but the port may serve plain HTTP: check the scheme and port of the URL.'
    );
  }
  return undefined;
}

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

interface Outcome {
  answer?: Answer;
  /** Set when the deadline passed while the endpoint was still warming up. */
  gaveUp?: string;
  /** Set when the endpoint cannot be reached as configured (DNS, TLS). */
  misconfigured?: string;
  attempts: number;
}

export async function runSmokeTests(options: SmokeOptions): Promise<SmokeReport> {
  const base = parseBaseUrl(options.baseUrl);
  const fetchImpl = options.fetchImpl ?? fetch;
  const log = options.log ?? (() => {});
  const deadline = Date.now() + (options.deadlineMs ?? 60_000);
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const latencyBudgetMs = options.latencyBudgetMs ?? 2_000;
  const recipient = options.recipient ?? DEFAULT_RECIPIENT;
  const runId = randomUUID();

  async function attempt(spec: RequestSpec): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(new URL(spec.path.replace(/^\//, ''), base), {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: AbortSignal.timeout(requestTimeoutMs),
        redirect: 'manual',
      });
      text = await response.text();
    } catch (error) {
      const problem = misconfiguration(error, base);
      if (problem) throw new MisconfiguredError(problem);
      throw new WarmingUpError(describeNetworkError(error, requestTimeoutMs));
    }
    const answer: Answer = {
      status: response.status,
      text,
      json: parseJson(text),
      latencyMs: Math.round(performance.now() - started),
    };
    if (answer.status >= 500) {
      throw new WarmingUpError(`HTTP ${answer.status} ${excerpt(text)}`, answer);
    }
    return answer;
  }

  /** Sends the request until it gets a non-transient answer or the deadline passes. */
  async function request(spec: RequestSpec): Promise<Outcome> {
    let attempts = 0;
    let lastProblem = '';
    let lastAnswer: Answer | undefined;
    try {
      const answer = await poll(
        async () => {
          attempts += 1;
          return { done: true, value: await attempt(spec) };
        },
        {
          intervalMs: 250,
          maxIntervalMs: 2_000,
          deadline,
          isRetryableError: (error) => error instanceof WarmingUpError,
          onRetryableError: (error, delayMs) => {
            const warming = error as WarmingUpError;
            lastProblem = warming.message;
            lastAnswer = warming.answer;
            const remaining = deadline - Date.now();
            if (remaining > 0) {
              const wait = Math.min(delayMs, remaining);
              log(`${spec.method} ${spec.path}: ${warming.message}; retrying in ~${wait} ms`);
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

  async function check(
    name: string,
    spec: RequestSpec,
    judge: (answer: Answer) => string | undefined,
    describeSuccess: (answer: Answer) => string,
  ): Promise<SmokeCheck> {
    const outcome = await request(spec);
    const retried = outcome.attempts > 1 ? ` (after ${outcome.attempts} attempts)` : '';
    let result: SmokeCheck;
    if (outcome.misconfigured !== undefined) {
      result = { name, ok: false, latencyMs: 0, detail: outcome.misconfigured };
    } else if (outcome.gaveUp !== undefined) {
      result = {
        name,
        ok: false,
        latencyMs: outcome.answer?.latencyMs ?? 0,
        detail: `still failing when the deadline passed${retried}: ${outcome.gaveUp}`,
      };
    } else {
      const answer = outcome.answer as Answer;
      const problem = judge(answer);
      result = {
        name,
        ok: problem === undefined,
        latencyMs: answer.latencyMs,
        detail: (problem ?? describeSuccess(answer)) + retried,
      };
    }
    log(`${result.ok ? 'PASS' : 'FAIL'} ${name} (${result.latencyMs} ms): ${result.detail}`);
    return result;
  }

  const checks: SmokeCheck[] = [];

  checks.push(
    await check(
      'liveness',
      { method: 'GET', path: '/healthz' },
      (answer) => expectStatus(answer, 200),
      () => 'GET /healthz answered 200',
    ),
  );

  checks.push(
    await check(
      'readiness',
      { method: 'GET', path: '/readyz' },
      (answer) => expectStatus(answer, 200),
      () => 'GET /readyz answered 200',
    ),
  );

  const validBody = {
    to: recipient,
    subject: `Smoke test ${runId}`,
    text: `Smoke test of ${base.origin} at ${new Date().toISOString()}.`,
    reference: `smoke-${runId}`,
  };

  checks.push(
    await check(
      'auth rejected without token',
      { method: 'POST', path: '/v1/notifications', body: validBody },
      (answer) => expectStatus(answer, 401) ?? expectErrorShape(answer),
      (answer) => `POST without a token answered 401 (${errorCode(answer)})`,
    ),
  );

  checks.push(
    await check(
      'validation rejects bad body',
      {
        method: 'POST',
        path: '/v1/notifications',
        headers: { authorization: `Bearer ${options.token}` },
        body: { to: 'not-an-address' },
      },
      (answer) =>
        expectStatus(answer, 400) ??
        expectErrorShape(answer) ??
        (errorNamesField(answer.json, 'to')
          ? undefined
          : `400 error does not name the field 'to': ${excerpt(answer.text)}`),
      (answer) => `bad body answered 400 (${errorCode(answer)}) naming 'to'`,
    ),
  );

  checks.push(
    await check(
      'notification accepted',
      {
        method: 'POST',
        path: '/v1/notifications',
        // The same key on every retry: a 5xx after the enqueue must not send twice.
        headers: { authorization: `Bearer ${options.token}`, 'idempotency-key': `smoke-${runId}` },
        body: validBody,
      },
      (answer) => {
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
      },
      (answer) =>
        `queued ${(answer.json as { id: string }).id} for ${maskAddress(recipient)} (202)`,
    ),
  );

  checks.push(await responseTimeCheck());

  const passed = checks.filter((c) => c.ok).length;
  return { passed, failed: checks.length - passed, checks };

  /** Several sequential liveness calls once warm: catches a task that answers, but slowly. */
  async function responseTimeCheck(): Promise<SmokeCheck> {
    const name = 'response time';
    const latencies: number[] = [];
    for (let i = 0; i < RESPONSE_TIME_SAMPLES; i += 1) {
      let answer: Answer;
      try {
        answer = await attempt({ method: 'GET', path: '/healthz' });
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
    const ok = max <= latencyBudgetMs;
    const detail = `GET /healthz x${RESPONSE_TIME_SAMPLES}: median ${median} ms, max ${max} ms (budget ${latencyBudgetMs} ms)`;
    log(`${ok ? 'PASS' : 'FAIL'} ${name}: ${detail}`);
    return { name, ok, latencyMs: median, detail };

    function fail(detail: string): SmokeCheck {
      log(`FAIL ${name}: ${detail}`);
      return { name, ok: false, latencyMs: latencies.at(-1) ?? 0, detail };
    }
  }
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

function expectStatus(answer: Answer, expected: number): string | undefined {
  if (answer.status === expected) return undefined;
  return `expected HTTP ${expected}, got ${answer.status}: ${excerpt(answer.text)}`;
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

function describeNetworkError(error: unknown, timeoutMs: number): string {
  // By name, not instanceof: fetch's DOMException may come from another realm (e.g. Jest's).
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? messageOf(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** Keeps logs free of recipient addresses: `s******@simulator.amazonses.com`. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}${'*'.repeat(Math.max(1, at - 1))}${address.slice(at)}`;
}
