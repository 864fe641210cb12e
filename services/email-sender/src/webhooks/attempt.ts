// One HTTP delivery attempt to a checked destination: POST the signed body, connect only to the
// checked address, never follow a redirect (node:http does not), give up after a deadline for
// the whole exchange, and read at most a few KiB of the answer (for the log and the DLQ reason).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { pinnedLookup, type Destination } from './destination.ts';

export interface AttemptOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  userAgent: string;
}

export const DEFAULT_ATTEMPT_OPTIONS: AttemptOptions = {
  timeoutMs: 10_000,
  maxResponseBytes: 4 * 1024,
  userAgent: 'notify-webhooks/1',
};

export type AttemptOutcome =
  | { kind: 'response'; status: number; body: string; location?: string; durationMs: number }
  | { kind: 'timeout'; durationMs: number }
  | { kind: 'network'; code: string; message: string; durationMs: number };

export function attemptDelivery(
  destination: Destination,
  headers: Record<string, string>,
  body: string,
  options: AttemptOptions = DEFAULT_ATTEMPT_OPTIONS,
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const send = destination.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req.destroy();
      resolve(outcome);
    };
    const req = send(
      destination.url,
      {
        method: 'POST',
        // A fresh connection per attempt: a pooled socket would skip the send-time check.
        agent: false,
        lookup: pinnedLookup(destination),
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': options.userAgent,
        },
      },
      (res) =>
        readCapped(res, options.maxResponseBytes, (text) => {
          const outcome: AttemptOutcome = {
            kind: 'response',
            status: res.statusCode ?? 0,
            body: text,
            durationMs: elapsed(),
          };
          if (typeof res.headers.location === 'string') outcome.location = res.headers.location;
          finish(outcome);
        }),
    );
    const deadline = setTimeout(
      () => finish({ kind: 'timeout', durationMs: elapsed() }),
      options.timeoutMs,
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        kind: 'network',
        code: error.code ?? 'ERROR',
        message: error.message,
        durationMs: elapsed(),
      }),
    );
    req.end(body);
  });
}

/** Reads up to `max` bytes of the body, then stops reading: a huge answer costs nothing more. */
function readCapped(res: IncomingMessage, max: number, done: (text: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const stop = () => done(Buffer.concat(chunks).subarray(0, max).toString('utf8'));
  res.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= max) stop();
  });
  res.on('end', stop);
  res.on('error', stop);
}
