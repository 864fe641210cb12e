// An HTTP proxy in front of SES that answers SendEmail with a permanent `MessageRejected` (400)
// when the request names one of the given recipients, and forwards everything else (to the
// emulator or to a fault proxy). SES rejects an address for good this way, e.g. when it is on
// the account's suppression list.
import { createServer, request } from 'node:http';

export interface RejectingProxy {
  url: string;
  rejected(): number;
  close(): Promise<void>;
}

export const REJECTION_MESSAGE = 'Address blacklisted.';

export async function startRecipientRejectingProxy(
  target: string,
  rejectedRecipients: string[],
): Promise<RejectingProxy> {
  const upstream = new URL(target);
  let rejected = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const isSend =
        req.method === 'POST' && (req.url ?? '').startsWith('/v2/email/outbound-emails');
      if (isSend && rejectedRecipients.some((address) => text.includes(`"${address}"`))) {
        rejected += 1;
        const answer = JSON.stringify({ message: REJECTION_MESSAGE, __type: 'MessageRejected' });
        res.writeHead(400, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'MessageRejected',
          'content-length': Buffer.byteLength(answer),
        });
        res.end(answer);
        return;
      }
      const forward = request(
        {
          hostname: upstream.hostname,
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
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    rejected: () => rejected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
