// One HTTP exchange with the API as the smoke checks see it: the answer parsed, or an error
// that says whether waiting can help (warming up) or not (DNS, TLS).

export interface Answer {
  status: number;
  text: string;
  json: unknown;
  latencyMs: number;
}

/** A failure that may clear up on its own: nothing listening yet, a timeout, or a 5xx. */
export class WarmingUpError extends Error {
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
export class MisconfiguredError extends Error {
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

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpSettings {
  base: URL;
  fetchImpl: typeof fetch;
  /** Time allowed for one HTTP request (ms). */
  requestTimeoutMs: number;
}

/** One request, no retries; a 5xx or a network failure is a WarmingUpError. */
export async function attempt(http: HttpSettings, spec: RequestSpec): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
  if (spec.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  let response: Response;
  let text: string;
  try {
    response = await http.fetchImpl(new URL(spec.path.replace(/^\//, ''), http.base), {
      method: spec.method,
      headers,
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
      signal: AbortSignal.timeout(http.requestTimeoutMs),
      redirect: 'manual',
    });
    text = await response.text();
  } catch (error) {
    const problem = misconfiguration(error, http.base);
    if (problem) throw new MisconfiguredError(problem);
    throw new WarmingUpError(describeNetworkError(error, http.requestTimeoutMs));
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

export function expectStatus(answer: Answer, expected: number): string | undefined {
  if (answer.status === expected) return undefined;
  return `expected HTTP ${expected}, got ${answer.status}: ${excerpt(answer.text)}`;
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

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}
