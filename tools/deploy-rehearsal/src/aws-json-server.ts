// An HTTP server speaking the AWS JSON 1.1 protocol (ECS and CodeDeploy both use it), so the
// real SDK in the committed action bundles serializes, signs, retries and parses as it does
// against AWS. Strict where AWS is: an unsigned request, an unknown target or a body that is
// not JSON is refused the way AWS refuses it. Loopback only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An error AWS would answer, by its shape name (the SDK maps `__type` to the error class). */
export class AwsError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400) {
    super(message);
    this.type = type;
    this.status = status;
  }
}

export type Handler = (input: Record<string, unknown>) => unknown;

/** Operations of one service, under its X-Amz-Target prefix (e.g. CodeDeploy_20141006). */
export interface ServiceHandlers {
  targetPrefix: string;
  operations: Record<string, Handler>;
}

export interface RecordedCall {
  service: string;
  operation: string;
  input: Record<string, unknown>;
  /** The error type answered, if any. */
  error?: string;
  at: number;
}

export interface AwsJsonServer {
  url: string;
  calls: RecordedCall[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  // awsJson timestamps are epoch seconds. The replacer sees Dates already turned into strings
  // by toJSON, so it reads the original value from its holder.
  const text = JSON.stringify(body, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}

export async function startAwsJsonServer(services: ServiceHandlers[]): Promise<AwsJsonServer> {
  const calls: RecordedCall[] = [];
  const byPrefix = new Map(services.map((s) => [s.targetPrefix, s]));

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const [prefix = '', operation = ''] = target.split('.');
      const service = byPrefix.get(prefix);
      const fail = (error: AwsError) => {
        calls.push({ service: prefix, operation, input: {}, error: error.type, at: Date.now() });
        answer(res, error.status, { __type: error.type, message: error.message }, error.type);
      };
      if (req.method !== 'POST')
        return fail(new AwsError('UnknownOperationException', 'POST only'));
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 Credential=')) {
        return fail(
          new AwsError(
            'MissingAuthenticationTokenException',
            'Request is missing a signature',
            403,
          ),
        );
      }
      const handler = service?.operations[operation];
      if (!service || !handler) {
        return fail(new AwsError('UnknownOperationException', `Unknown operation ${target}`));
      }
      let input: Record<string, unknown>;
      try {
        input = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      } catch {
        return fail(new AwsError('SerializationException', 'Request body is not valid JSON'));
      }
      const call: RecordedCall = { service: prefix, operation, input, at: Date.now() };
      calls.push(call);
      try {
        answer(res, 200, (await handler(input)) ?? {});
      } catch (error) {
        if (!(error instanceof AwsError)) {
          call.error = 'InternalFailure';
          answer(
            res,
            500,
            { __type: 'InternalFailure', message: String(error) },
            'InternalFailure',
          );
          return;
        }
        call.error = error.type;
        answer(res, error.status, { __type: error.type, message: error.message }, error.type);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
