// The network between the runner and the green tasks, as a real deploy meets it: the ALB's
// test listener, which lets a connection in only when its security group (the World's, as the
// EC2 stand-in leaves it) has a TCP rule for the listener's port whose CIDR holds the runner's
// public address; and checkip, which tells the runner that address. Like a security group,
// the listener decides per new connection; a refused one is reset (EC2 would drop it and let
// the client time out, which only makes a broken run slower). Loopback only.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { cidrContains } from './ec2.ts';
import type { SecurityGroupRecord } from './world.ts';

/** The runner's public IPv4 as checkip sees it (TEST-NET-3, documentation range). */
export const RUNNER_PUBLIC_IP = '203.0.113.7';

export interface ListenerRequest {
  at: number;
  method: string;
  path: string;
  /** Whether the group admitted the runner's address on the listener port at that moment. */
  admitted: boolean;
}

export interface TestListener {
  url: string;
  port: number;
  requests: ListenerRequest[];
  /** Connections refused because no rule admitted the runner. */
  refusedConnections: number;
  close(): Promise<void>;
}

export function admits(group: SecurityGroupRecord, address: string, port: number): boolean {
  return group.ingress.some(
    (rule) =>
      rule.protocol === 'tcp' &&
      rule.fromPort <= port &&
      port <= rule.toPort &&
      cidrContains(rule.cidr, address),
  );
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closer(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

export async function startTestListener(options: {
  port: number;
  group: () => SecurityGroupRecord;
  /** The green tasks' base URL. */
  upstream: string;
}): Promise<TestListener> {
  const requests: ListenerRequest[] = [];
  const upstream = new URL(options.upstream);
  let refusedConnections = 0;
  const server = createServer((req, res) => {
    requests.push({
      at: Date.now(),
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      admitted: admits(options.group(), RUNNER_PUBLIC_IP, options.port),
    });
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  server.on('connection', (socket: Socket) => {
    if (!admits(options.group(), RUNNER_PUBLIC_IP, options.port)) {
      refusedConnections += 1;
      socket.destroy();
    }
  });
  const port = await listen(server, options.port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get refusedConnections() {
      return refusedConnections;
    },
    close: closer(server),
  };
}

/** checkip.amazonaws.com: the caller's public address, bare, with a newline. */
export async function startCheckIp(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8' });
    res.end(`${RUNNER_PUBLIC_IP}\n`);
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/`, close: closer(server) };
}
