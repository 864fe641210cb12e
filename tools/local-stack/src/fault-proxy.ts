// A small fault-injecting HTTP proxy for the local stack, to put in front of an emulator (SES v2,
// SQS) in tests, benchmarks and fault drills. Matching requests can be answered with AWS-shaped
// errors (JSON body plus `x-amzn-ErrorType`, as the SDK parses them), have their connection
// reset, or be delayed; everything else is forwarded unchanged. Loopback only.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type FaultKind =
  | 'throttle'
  | 'server-error'
  | 'unavailable'
  | 'reject'
  | 'bad-request'
  | 'sending-paused'
  | 'account-suspended'
  | 'reset';

export type FaultStep = FaultKind | 'pass';

interface ErrorAnswer {
  status: number;
  type: string;
  message: string;
}

/** SES v2 error answers (restJson1): the SDK reads the type from the header or the body. */
export const FAULT_ANSWERS: Record<Exclude<FaultKind, 'reset'>, ErrorAnswer> = {
  throttle: {
    status: 429,
    type: 'TooManyRequestsException',
    message: 'Maximum sending rate exceeded.',
  },
  'server-error': {
    status: 500,
    type: 'InternalServiceErrorException',
    message: 'The request failed because of an internal error.',
  },
  unavailable: { status: 503, type: 'ServiceUnavailable', message: 'Service unavailable.' },
  reject: {
    status: 400,
    type: 'MessageRejected',
    message: 'Email address is not verified. The following identities failed the check.',
  },
  'bad-request': { status: 400, type: 'BadRequestException', message: 'Invalid request.' },
  'sending-paused': {
    status: 400,
    type: 'SendingPausedException',
    message: 'Sending is paused for this account.',
  },
  'account-suspended': {
    status: 400,
    type: 'AccountSuspendedException',
    message: 'The account has been suspended.',
  },
};

export interface FaultPlan {
  /** Answers for the next matching requests, in order ('pass' forwards one). */
  sequence?: FaultStep[];
  /** After the sequence: the probability of each fault for a matching request (sum <= 1). */
  share?: Partial<Record<FaultKind, number>>;
  /** Delay before every matching request is answered or forwarded (ms). */
  delayMs?: number;
  /** Which requests the plan applies to; default all. */
  match?: (method: string, path: string) => boolean;
}

/** Matches SES v2 SendEmail only (not GetAccount, not the emulator's own pages). */
export const isSesSendEmail = (method: string, path: string) =>
  method === 'POST' && path.startsWith('/v2/email/outbound-emails');

export interface FaultProxyStats {
  requests: number;
  matched: number;
  forwarded: number;
  faults: Partial<Record<FaultKind, number>>;
  /** Matching requests being handled right now, and the most at once since the last reset. */
  inFlight: number;
  maxInFlight: number;
}

export interface FaultProxy {
  url: string;
  port: number;
  setPlan(plan: FaultPlan): void;
  stats(): FaultProxyStats;
  resetStats(): void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Where passing requests go, e.g. http://127.0.0.1:8005 */
  target: string;
  /** Port to listen on (loopback); 0 or absent = any free port. */
  port?: number;
  plan?: FaultPlan;
  random?: () => number;
}

function emptyStats(): FaultProxyStats {
  return { requests: 0, matched: 0, forwarded: 0, faults: {}, inFlight: 0, maxInFlight: 0 };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = options.random ?? Math.random;
  let plan: FaultPlan = options.plan ?? {};
  let sequence: FaultStep[] = [...(plan.sequence ?? [])];
  let stats = emptyStats();
  const sockets = new Set<Socket>();

  const chooseStep = (): FaultStep => {
    const next = sequence.shift();
    if (next !== undefined) return next;
    let draw = random();
    for (const [kind, share] of Object.entries(plan.share ?? {})) {
      if (draw < (share ?? 0)) return kind as FaultKind;
      draw -= share ?? 0;
    }
    return 'pass';
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    stats.forwarded += 1;
    const upstream = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };

  const answerFault = (kind: FaultKind, res: ServerResponse) => {
    stats.faults[kind] = (stats.faults[kind] ?? 0) + 1;
    if (kind === 'reset') {
      res.socket?.destroy();
      return;
    }
    const answer = FAULT_ANSWERS[kind];
    const body = JSON.stringify({ message: answer.message, __type: answer.type });
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'x-amzn-errortype': answer.type,
      'x-amzn-requestid': `fault-${Date.now()}`,
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      stats.requests += 1;
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const method = req.method ?? 'GET';
      if (plan.match && !plan.match(method, path)) {
        forward(req, res, body);
        return;
      }
      stats.matched += 1;
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      res.once('close', () => {
        stats.inFlight -= 1;
      });
      const step = chooseStep();
      const act = () => (step === 'pass' ? forward(req, res, body) : answerFault(step, res));
      if (plan.delayMs) setTimeout(act, plan.delayMs);
      else act();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setPlan(next) {
      plan = next;
      sequence = [...(next.sequence ?? [])];
    },
    stats: () => ({ ...stats, faults: { ...stats.faults } }),
    resetStats() {
      stats = { ...emptyStats(), inFlight: stats.inFlight };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
