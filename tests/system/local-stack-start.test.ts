// The README's promise, as a test: `npm start` (tools/local-stack/src/start.ts) brings up the
// whole stack, the curl it prints works as pasted and the email shows in the SES emulator, each
// mailbox-simulator address reaches its status in GET /v1/notifications/{id}, the
// smoke-test CLI passes against it, and SIGTERM stops everything cleanly within seconds.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startNodeProcess, type ManagedProcess } from '@notify/local-stack';

const root = process.cwd();
let stack: ManagedProcess;
let ports: Record<'sqs' | 'ses' | 'dynamodb' | 'sesEvents' | 'api' | 'worker', number>;

async function waitForOutput(proc: ManagedProcess, text: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!proc.output().includes(text)) {
    if (proc.child.exitCode !== null) throw new Error(`stack exited:\n${proc.output()}`);
    if (Date.now() > deadline)
      throw new Error(`no "${text}" after ${timeoutMs} ms:\n${proc.output()}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  ports = {
    sqs: await freePort(),
    ses: await freePort(),
    dynamodb: await freePort(),
    sesEvents: await freePort(),
    api: await freePort(),
    worker: await freePort(),
  };
  stack = startNodeProcess({
    name: 'local-stack',
    args: [join(root, 'tools/local-stack/src/start.ts')],
    env: {
      LOCAL_SQS_PORT: String(ports.sqs),
      LOCAL_SES_PORT: String(ports.ses),
      LOCAL_DYNAMODB_PORT: String(ports.dynamodb),
      LOCAL_SES_EVENTS_PORT: String(ports.sesEvents),
      LOCAL_API_PORT: String(ports.api),
      LOCAL_WORKER_PORT: String(ports.worker),
    },
  });
  await waitForOutput(stack, 'local stack is up', 60_000);
}, 70_000);

afterAll(async () => {
  await stack?.stop('SIGKILL', 1_000);
});

describe('npm start', () => {
  it('prints a curl that, pasted into a shell, queues an email the SES emulator then shows', async () => {
    const output = stack.output();
    const curl = /(curl -i -X POST [\s\S]*?-d '[^']*')/.exec(output)?.[1];
    expect(curl).toBeDefined();
    const response = execFileSync('/bin/sh', ['-c', curl!], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(response).toMatch(/^HTTP\/1\.1 202/);
    const id = JSON.parse(response.slice(response.indexOf('{'))).id as string;

    const deadline = Date.now() + 20_000;
    let email:
      { subject?: string; destination?: { to?: string[] }; body?: { text?: string } } | undefined;
    while (!email && Date.now() < deadline) {
      const store = (await (await fetch(`http://127.0.0.1:${ports.ses}/store`)).json()) as {
        emails: { subject?: string; destination?: { to?: string[] }; body?: { text?: string } }[];
      };
      email = store.emails.find((e) => e.subject === 'Hello from the local stack');
      if (!email) await sleep(200);
    }
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(email).toMatchObject({
      subject: 'Hello from the local stack',
      destination: { to: ['jane@example.com'] },
      body: { text: 'It works.' },
    });
    // The page a person opens to see sent mail.
    const page = await fetch(`http://127.0.0.1:${ports.ses}/`);
    expect(page.status).toBe(200);
  }, 30_000);

  it('shows each mailbox-simulator outcome in GET /v1/notifications/{id} within seconds', async () => {
    const api = `http://127.0.0.1:${ports.api}/v1/notifications`;
    const headers = { authorization: 'Bearer local-dev-token', 'content-type': 'application/json' };
    const expected: Array<[string, string, string | undefined]> = [
      ['bounce@simulator.amazonses.com', 'bounced', 'mailbox_does_not_exist'],
      ['suppressionlist@simulator.amazonses.com', 'suppressed', 'on_suppression_list'],
      ['success@simulator.amazonses.com', 'delivered', undefined],
      ['complaint@simulator.amazonses.com', 'delivered', undefined],
    ];
    const ids = await Promise.all(
      expected.map(async ([to]) => {
        const res = await fetch(api, {
          method: 'POST',
          headers,
          body: JSON.stringify({ to, subject: 'status', text: 'status' }),
        });
        expect(res.status).toBe(202);
        return ((await res.json()) as { id: string }).id;
      }),
    );
    for (const [i, [to, status, code]] of expected.entries()) {
      const deadline = Date.now() + 10_000;
      let body: { status?: string; reason?: { code: string }; complainedAt?: string } = {};
      while (Date.now() < deadline) {
        body = (await (await fetch(`${api}/${ids[i]}`, { headers })).json()) as typeof body;
        const complaintPending = to.startsWith('complaint@') && body.complainedAt === undefined;
        if (body.status === status && !complaintPending) break;
        await sleep(100);
      }
      expect([to, body.status, body.reason?.code]).toEqual([to, status, code]);
      if (to.startsWith('complaint@')) expect(body.complainedAt).toBeDefined();
    }
  }, 30_000);

  it('passes the smoke-test CLI (npm run smoke) against the running stack', () => {
    const out = execFileSync(
      process.execPath,
      [
        join(root, 'actions/smoke-test/src/cli.ts'),
        '--base-url',
        `http://127.0.0.1:${ports.api}`,
        '--token',
        'local-dev-token',
      ],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/\b6 passed, 0 failed\b/);
  }, 60_000);

  it('stops everything cleanly on SIGTERM within seconds', async () => {
    const started = Date.now();
    const code = await stack.stop('SIGTERM', 30_000);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(stack.output()).toContain('stopped.');
    // Nothing listens any more on the stack's ports.
    for (const port of Object.values(ports)) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }
  }, 40_000);
});
