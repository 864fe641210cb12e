import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHungServer } from '@notify/local-stack';
import { attemptDelivery, DEFAULT_ATTEMPT_OPTIONS } from '../../src/webhooks/attempt.ts';
import { resolveDestination } from '../../src/webhooks/destination.ts';

const local = { allowLoopback: true };
const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' };

let server: Server;
let handler: (req: IncomingMessage, res: ServerResponse, body: string) => void;
let requests: { url: string; headers: IncomingMessage['headers']; body: string }[];
let base: string;

beforeEach(async () => {
  requests = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const attempt = async (url: string, options = DEFAULT_ATTEMPT_OPTIONS) =>
  attemptDelivery(await resolveDestination(url, local), headers, '{"a":1}', options);

describe('attemptDelivery', () => {
  it('POSTs the body with the signature headers and reports the answer', async () => {
    handler = (_req, res) => res.writeHead(204).end();
    const outcome = await attempt(`${base}/hook`);
    expect(outcome).toMatchObject({ kind: 'response', status: 204, body: '' });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toBe('{"a":1}');
    expect(requests[0]!.headers).toMatchObject({
      ...headers,
      'content-type': 'application/json',
      'user-agent': 'notify-webhooks/1',
    });
  });

  it('never follows a redirect', async () => {
    handler = (req, res) =>
      req.url === '/hook' ? res.writeHead(302, { location: '/elsewhere' }).end() : res.end('ok');
    const outcome = await attempt(`${base}/hook`);
    expect(outcome).toMatchObject({ kind: 'response', status: 302, location: '/elsewhere' });
    expect(requests.map((r) => r.url)).toEqual(['/hook']);
  });

  it('reads at most maxResponseBytes of a large answer', async () => {
    handler = (_req, res) => {
      res.writeHead(500);
      res.end('x'.repeat(1024 * 1024));
    };
    const outcome = await attempt(`${base}/hook`);
    expect(outcome.kind).toBe('response');
    expect(outcome.kind === 'response' && outcome.body.length).toBe(4096);
  });

  it('gives up on a receiver that never answers at the deadline', async () => {
    const hung = await startHungServer();
    try {
      const started = Date.now();
      const outcome = await attempt(`${hung.url}/hook`, {
        ...DEFAULT_ATTEMPT_OPTIONS,
        timeoutMs: 300,
      });
      expect(outcome.kind).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await hung.close();
    }
  });

  it('reports a refused connection as a network error', async () => {
    handler = (_req, res) => res.end();
    const url = `${base}/hook`;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    const outcome = await attempt(url);
    expect(outcome).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
    server.listen(0, '127.0.0.1');
  });
});
