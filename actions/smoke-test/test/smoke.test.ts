import { freePort } from '@notify/local-stack';
import { errorNamesField, maskAddress, runSmokeTests, type SmokeReport } from '../src/smoke.ts';
import { goodApi, startFakeApi, TOKEN, type FakeApi } from './fake-api.ts';

let api: FakeApi | undefined;

afterEach(async () => {
  await api?.close();
  api = undefined;
});

const byName = (report: SmokeReport, name: string) => {
  const check = report.checks.find((c) => c.name === name);
  if (!check) throw new Error(`no check named ${name}`);
  return check;
};

describe('runSmokeTests against a healthy API', () => {
  it('passes every check and sends one real notification to the simulator', async () => {
    api = await startFakeApi();
    const lines: string[] = [];
    const report = await runSmokeTests({
      baseUrl: api.url,
      token: TOKEN,
      deadlineMs: 5_000,
      log: (line) => lines.push(line),
    });

    expect(report.checks.map((c) => c.name)).toEqual([
      'liveness',
      'readiness',
      'auth rejected without token',
      'validation rejects bad body',
      'notification accepted',
      'response time',
    ]);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report).toMatchObject({ passed: 6, failed: 0 });
    for (const check of report.checks) expect(check.latencyMs).toBeGreaterThanOrEqual(0);

    const accepted = api.requests.filter(
      (r) => r.path === '/v1/notifications' && r.headers.authorization === `Bearer ${TOKEN}`,
    );
    const sent = accepted.filter((r) => (r.body as { to: string }).to !== 'not-an-address');
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toMatchObject({ to: 'success@simulator.amazonses.com' });
    expect(sent[0].headers['idempotency-key']).toMatch(/^smoke-/);
    expect(byName(report, 'notification accepted').detail).toContain('ntf_123');
    // The recipient never appears in clear in the log or the report.
    expect(lines.join('\n')).not.toContain('success@simulator');
    expect(JSON.stringify(report)).not.toContain('success@simulator');
    expect(byName(report, 'response time').detail).toMatch(/median \d+ ms, max \d+ ms/);
  });

  it('sends to the recipient the caller chooses and keeps a base path prefix', async () => {
    api = await startFakeApi((request, reply) =>
      goodApi({ ...request, path: request.path.replace(/^\/api/, '') }, reply),
    );
    const report = await runSmokeTests({
      baseUrl: `${api.url}/api`,
      token: TOKEN,
      recipient: 'ooto@simulator.amazonses.com',
      deadlineMs: 5_000,
    });
    expect(report.failed).toBe(0);
    expect(api.requests.every((r) => r.path.startsWith('/api/'))).toBe(true);
    expect(api.requests.map((r) => (r.body as { to?: string } | undefined)?.to)).toContain(
      'ooto@simulator.amazonses.com',
    );
  });

  it('rejects a base URL that is not http(s)', async () => {
    await expect(runSmokeTests({ baseUrl: 'ftp://x', token: 't' })).rejects.toThrow(
      /baseUrl must use http or https/,
    );
    await expect(runSmokeTests({ baseUrl: 'not a url', token: 't' })).rejects.toThrow(
      /baseUrl must be an absolute/,
    );
  });
});

describe('runSmokeTests against a broken API', () => {
  it('fails every check with details when the API answers 500 until the deadline', async () => {
    api = await startFakeApi((_request, reply) =>
      reply(500, { error: { code: 'internal', message: 'boom' } }),
    );
    const started = Date.now();
    const report = await runSmokeTests({ baseUrl: api.url, token: TOKEN, deadlineMs: 800 });

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report.passed).toBe(0);
    expect(report.failed).toBe(6);
    expect(byName(report, 'liveness').detail).toMatch(
      /still failing when the deadline passed \(after \d+ attempts\): HTTP 500 .*boom/,
    );
    expect(byName(report, 'response time').detail).toContain('HTTP 500');
  });

  it('fails at once, without retrying, on a wrong answer (202 without a token)', async () => {
    api = await startFakeApi((request, reply) =>
      request.path === '/v1/notifications' && !request.headers.authorization
        ? reply(202, { id: 'ntf_leak', status: 'queued' })
        : goodApi(request, reply),
    );
    const report = await runSmokeTests({ baseUrl: api.url, token: TOKEN, deadlineMs: 5_000 });
    const auth = byName(report, 'auth rejected without token');
    expect(auth.ok).toBe(false);
    expect(auth.detail).toContain('expected HTTP 401, got 202');
    expect(report).toMatchObject({ passed: 5, failed: 1 });
    const unauthenticated = api.requests.filter(
      (r) => r.path === '/v1/notifications' && !r.headers.authorization,
    );
    expect(unauthenticated).toHaveLength(1);
  });

  it('fails when a 401 is not in the JSON error format', async () => {
    api = await startFakeApi((request, reply) =>
      request.path === '/v1/notifications' && !request.headers.authorization
        ? reply(401, 'Unauthorized')
        : goodApi(request, reply),
    );
    const report = await runSmokeTests({ baseUrl: api.url, token: TOKEN, deadlineMs: 5_000 });
    expect(byName(report, 'auth rejected without token').detail).toMatch(
      /without the JSON error format/,
    );
  });

  it('fails validation when the 400 does not name the field', async () => {
    api = await startFakeApi((request, reply) =>
      request.path === '/v1/notifications' && request.headers.authorization
        ? (request.body as { to: string }).to === 'not-an-address'
          ? reply(400, { error: { code: 'bad_request', message: 'invalid' } })
          : reply(202, { id: 'ntf_1', status: 'queued' })
        : goodApi(request, reply),
    );
    const report = await runSmokeTests({ baseUrl: api.url, token: TOKEN, deadlineMs: 5_000 });
    const validation = byName(report, 'validation rejects bad body');
    expect(validation.ok).toBe(false);
    expect(validation.detail).toContain("does not name the field 'to'");
  });

  it('fails an accepted notification without an id', async () => {
    api = await startFakeApi((request, reply) =>
      request.path === '/v1/notifications' &&
      request.headers.authorization &&
      (request.body as { to: string }).to !== 'not-an-address'
        ? reply(202, { status: 'queued' })
        : goodApi(request, reply),
    );
    const report = await runSmokeTests({ baseUrl: api.url, token: TOKEN, deadlineMs: 5_000 });
    expect(byName(report, 'notification accepted').detail).toContain('202 without an id');
  });

  it('fails the response-time check when answers are slower than the budget', async () => {
    api = await startFakeApi(async (request, reply) => {
      if (request.path === '/healthz') await new Promise((r) => setTimeout(r, 60));
      return goodApi(request, reply);
    });
    const report = await runSmokeTests({
      baseUrl: api.url,
      token: TOKEN,
      deadlineMs: 5_000,
      latencyBudgetMs: 20,
    });
    const timing = byName(report, 'response time');
    expect(timing.ok).toBe(false);
    expect(timing.latencyMs).toBeGreaterThanOrEqual(50);
    expect(timing.detail).toContain('budget 20 ms');
  });

  it('counts a request that does not answer in time as a failure', async () => {
    api = await startFakeApi(() => {
      // Never replies.
    });
    const report = await runSmokeTests({
      baseUrl: api.url,
      token: TOKEN,
      deadlineMs: 300,
      requestTimeoutMs: 150,
    });
    expect(byName(report, 'liveness').detail).toContain('no answer within 150 ms');
    expect(report.passed).toBe(0);
  });
});

describe('runSmokeTests against an endpoint configured wrong', () => {
  it('fails at once, naming the fix, when https meets a plain-HTTP port (TLS handshake)', async () => {
    api = await startFakeApi();
    const started = Date.now();
    const report = await runSmokeTests({
      baseUrl: api.url.replace(/^http:/, 'https:'),
      token: TOKEN,
      deadlineMs: 20_000,
    });
    // Not retried as "warming up" until the deadline.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(report.passed).toBe(0);
    const liveness = byName(report, 'liveness');
    expect(liveness.detail).toMatch(/^TLS: 127\.0\.0\.1:\d+ did not complete a TLS handshake/);
    expect(liveness.detail).toContain('check the scheme and port');
    expect(liveness.detail).not.toContain('after');
  });

  it('fails at once when the host does not resolve, and says to create the record', async () => {
    let calls = 0;
    // Node's fetch (undici) reports DNS failures as TypeError('fetch failed') with the
    // getaddrinfo error as its cause.
    const fetchImpl = async () => {
      calls += 1;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.staging.example.com'), {
          code: 'ENOTFOUND',
          syscall: 'getaddrinfo',
          hostname: 'api.staging.example.com',
        }),
      });
    };
    const report = await runSmokeTests({
      baseUrl: 'https://api.staging.example.com',
      token: TOKEN,
      deadlineMs: 20_000,
      fetchImpl,
    });
    expect(byName(report, 'liveness').detail).toBe(
      'DNS: api.staging.example.com does not resolve (getaddrinfo ENOTFOUND api.staging.example.com). ' +
        'Create the record that points it at the ALB, or fix the host in the URL; waiting will not help.',
    );
    // One request per check, none repeated.
    expect(calls).toBeLessThanOrEqual(report.checks.length + 5);
  });

  it('names api_domain_name when the certificate does not cover the host', async () => {
    const fetchImpl = async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(
          new Error(
            "Hostname/IP does not match certificate's altnames: Host: notify-production-123.eu-west-1.elb.amazonaws.com. is not in the cert's altnames: DNS:api.example.com",
          ),
          { code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
        ),
      });
    };
    const report = await runSmokeTests({
      baseUrl: 'https://notify-production-123.eu-west-1.elb.amazonaws.com',
      token: TOKEN,
      deadlineMs: 20_000,
      fetchImpl,
    });
    const detail = byName(report, 'liveness').detail;
    expect(detail).toMatch(
      /^TLS: the certificate for notify-production-123\.eu-west-1\.elb\.amazonaws\.com is not valid for it \(ERR_TLS_CERT_ALTNAME_INVALID/,
    );
    expect(detail).toContain('set api_domain_name');
  });
});

describe('runSmokeTests against an API that is warming up', () => {
  it('retries refused connections until the API starts, within the deadline', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const starting = new Promise<FakeApi>((resolve) =>
      setTimeout(() => resolve(startFakeApi(goodApi, port)), 700),
    );
    const report = await runSmokeTests({
      baseUrl: `http://127.0.0.1:${port}`,
      token: TOKEN,
      deadlineMs: 10_000,
      log: (line) => lines.push(line),
    });
    api = await starting;

    expect(report.failed).toBe(0);
    expect(byName(report, 'liveness').detail).toMatch(/after \d+ attempts/);
    expect(
      lines.some((line) => /GET \/healthz: ECONNREFUSED; retrying in ~\d+ ms/.test(line)),
    ).toBe(true);
  });

  it('waits for readiness while the API answers 503', async () => {
    let readyCalls = 0;
    api = await startFakeApi((request, reply) => {
      if (request.path === '/readyz' && ++readyCalls <= 2) {
        return reply(503, { error: { code: 'not_ready', message: 'queue unreachable' } });
      }
      return goodApi(request, reply);
    });
    const report = await runSmokeTests({ baseUrl: api.url, token: TOKEN, deadlineMs: 10_000 });
    expect(report.failed).toBe(0);
    expect(byName(report, 'readiness').detail).toContain('after 3 attempts');
  });
});

describe('errorNamesField', () => {
  const body = (details: unknown, message = 'invalid request') => ({
    error: { code: 'validation_failed', message, details },
  });

  it.each([
    [[{ path: ['to'], message: 'Invalid email' }]],
    [{ to: 'Invalid email' }],
    [['to: Invalid email']],
    [{ fieldErrors: { to: ['Invalid'] } }],
    [[{ field: 'to', rule: 'email' }]],
    [[{ field: 'to[0]', rule: 'invalid_format', message: 'must be a valid email address' }]],
    [[{ path: 'to.0', message: 'Invalid email' }]],
  ])('finds the field in details %j', (details) => {
    expect(errorNamesField(body(details), 'to')).toBe(true);
  });

  it('finds the field in the message', () => {
    expect(errorNamesField(body(undefined, "'to' must be an email address"), 'to')).toBe(true);
    expect(errorNamesField(body(undefined, 'to: invalid email'), 'to')).toBe(true);
  });

  it('does not mistake the word "to" in prose for the field', () => {
    expect(errorNamesField(body(undefined, 'unable to parse the request'), 'to')).toBe(false);
    expect(errorNamesField(body(undefined, 'nothing to. do'), 'to')).toBe(false);
    expect(errorNamesField(body([{ field: 'total[0]' }]), 'to')).toBe(false);
    expect(errorNamesField(body([{ path: ['subject'], message: 'Required' }]), 'to')).toBe(false);
    expect(errorNamesField({ message: 'no error envelope' }, 'to')).toBe(false);
  });
});

describe('maskAddress', () => {
  it('keeps the first letter and the domain only', () => {
    expect(maskAddress('success@simulator.amazonses.com')).toBe('s******@simulator.amazonses.com');
    expect(maskAddress('nope')).toBe('***');
  });
});
