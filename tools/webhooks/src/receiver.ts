// A webhook receiver for development and tests: verifies each delivery's signature with the
// standardwebhooks library, exactly as a client's receiver should, and answers 204 when it
// verifies (401 when it does not). `respond` lets a test answer otherwise (500s, silence).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export interface Delivery {
  /** 1-based count of requests this receiver got. */
  number: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The verified, parsed body; undefined when the signature did not verify. */
  event: unknown;
  verified: boolean;
  problem?: string;
  /** The status answered, or undefined when the receiver stayed silent. */
  answered?: number;
}

export interface ReceiverOptions {
  port: number;
  host?: string;
  /** Every secret the receiver accepts (old and new during a rotation). */
  secrets: string[];
  /** The status to answer, or 'silent' to never answer; default: 204 verified, 401 not. */
  respond?: (delivery: Delivery) => number | 'silent';
  onDelivery?: (delivery: Delivery) => void;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  close(): Promise<void>;
}

/** Verifies with each secret in turn; the library checks the signature and the timestamp's age. */
export function verifyDelivery(
  secrets: string[],
  body: string,
  headers: IncomingHttpHeaders,
): { verified: true; event: unknown } | { verified: false; problem: string } {
  const wanted: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    const value = headers[name];
    if (typeof value === 'string') wanted[name] = value;
  }
  let problem = 'no secret configured';
  for (const secret of secrets) {
    try {
      return { verified: true, event: new Webhook(secret).verify(body, wanted) };
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      problem = error.message;
    }
  }
  return { verified: false, problem };
}

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifyDelivery(options.secrets, body, req.headers);
      const delivery: Delivery = {
        number: deliveries.length + 1,
        headers: req.headers,
        body,
        event: check.verified ? check.event : undefined,
        verified: check.verified,
      };
      if (!check.verified) delivery.problem = check.problem;
      deliveries.push(delivery);
      const status = options.respond?.(delivery) ?? (check.verified ? 204 : 401);
      if (status !== 'silent') {
        delivery.answered = status;
        res.writeHead(status).end();
      }
      options.onDelivery?.(delivery);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    deliveries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
