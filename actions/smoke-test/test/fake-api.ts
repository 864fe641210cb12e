// A stand-in for the notification API on 127.0.0.1: behaves like the real one by default, and
// each test swaps in the misbehaviour it is about.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type Handler = (
  request: RecordedRequest,
  reply: (status: number, body: unknown) => void,
) => void | Promise<void>;

export const TOKEN = 'test-token';

/** The real API's answers for the endpoints the smoke test touches. */
export const goodApi: Handler = (request, reply) => {
  if (request.method === 'GET' && (request.path === '/healthz' || request.path === '/readyz')) {
    return reply(200, { status: 'ok' });
  }
  if (request.method === 'POST' && request.path === '/v1/notifications') {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      return reply(401, { error: { code: 'unauthorized', message: 'missing or invalid token' } });
    }
    const body = request.body as { to?: string; subject?: string; text?: string };
    const issues: Array<{ path: string[]; message: string }> = [];
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.to ?? '')) {
      issues.push({ path: ['to'], message: 'Invalid email address' });
    }
    if (!body.subject) issues.push({ path: ['subject'], message: 'Required' });
    if (issues.length > 0) {
      return reply(400, {
        error: { code: 'validation_failed', message: 'invalid request', details: issues },
      });
    }
    return reply(202, { id: 'ntf_123', status: 'queued' });
  }
  return reply(404, { error: { code: 'not_found', message: 'no such route' } });
};

export interface FakeApi {
  url: string;
  port: number;
  requests: RecordedRequest[];
  handler: Handler;
  close(): Promise<void>;
}

export async function startFakeApi(handler: Handler = goodApi, port = 0): Promise<FakeApi> {
  const api: FakeApi = {
    url: '',
    port: 0,
    requests: [],
    handler,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: new URL(req.url ?? '/', 'http://x').pathname,
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      api.requests.push(recorded);
      void api.handler(recorded, (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  api.port = (server.address() as AddressInfo).port;
  api.url = `http://127.0.0.1:${api.port}`;
  return api;
}

/** A `GET /v1/notifications/{id}` answer as architecture.md's "Notification status" documents. */
export function notificationStatus(status: string, extra: Record<string, unknown> = {}) {
  return {
    id: 'ntf_123',
    status,
    reference: 'smoke',
    createdAt: '2026-12-07T11:00:00.000Z',
    updatedAt: '2026-12-07T11:00:01.000Z',
    recipients: [{ address: 'success@simulator.amazonses.com', status }],
    ...extra,
  };
}

export const notFound = {
  error: { code: 'NOT_FOUND', message: 'no notification with this id' },
};

/**
 * goodApi plus the status endpoint: each GET of the accepted notification (with the token)
 * plays the next answer, then repeats the last one.
 */
export function withStatusAnswers(answers: Array<[number, unknown]>): Handler {
  let played = 0;
  return (request, reply) => {
    if (request.method === 'GET' && request.path === '/v1/notifications/ntf_123') {
      if (request.headers.authorization !== `Bearer ${TOKEN}`) {
        return reply(401, { error: { code: 'unauthorized', message: 'missing or invalid token' } });
      }
      const [status, body] = answers[Math.min(played, answers.length - 1)];
      played += 1;
      return reply(status, body);
    }
    if (request.method === 'GET' && request.path.startsWith('/v1/notifications/')) {
      return reply(404, notFound);
    }
    return goodApi(request, reply);
  };
}
