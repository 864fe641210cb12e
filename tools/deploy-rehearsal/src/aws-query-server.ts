// An HTTP server speaking the EC2 Query protocol (form-encoded POST with Action and Version,
// XML answers in the EC2 namespace, errors as <Response><Errors><Error>), so the real SDK in
// the committed bundles serializes, signs, retries and parses as it does against EC2. Strict
// where EC2 is: an unsigned request, a signature for another service or region, an unknown
// action or version, and a parameter the action does not take are refused as EC2 refuses
// them. Loopback only.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const EC2_API_VERSION = '2016-11-15';
const NAMESPACE = `http://ec2.amazonaws.com/doc/${EC2_API_VERSION}/`;

/** An EC2 error code and message (e.g. InvalidPermission.Duplicate), with its HTTP status. */
export class Ec2Error extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/**
 * Thrown by a handler after it has changed state: the connection is dropped instead of
 * answered, as when a response is lost on the way back. The change stays made.
 */
export class DropResponse extends Error {}

/** Form parameters folded into objects and 1-based lists (IpPermissions.1.IpRanges.1.CidrIp). */
export type QueryValue = string | QueryValue[] | { [name: string]: QueryValue };
export type QueryInput = Record<string, QueryValue>;

export interface QueryOperation {
  /** Top-level parameter names the action takes; any other is UnknownParameter. */
  parameters: readonly string[];
  /** The answer's elements in EC2's wire names (lower camel case), rendered as XML. */
  handle(input: QueryInput, request: { attempt: number }): unknown;
}

export interface RecordedQueryCall {
  operation: string;
  input: QueryInput;
  /** The error code answered, if any ('dropped' for a lost response). */
  error?: string;
  /** 1 for the SDK's first try, 2 for its first retry, ... (amz-sdk-request header). */
  attempt: number;
  at: number;
}

export interface AwsQueryServer {
  url: string;
  calls: RecordedQueryCall[];
  close(): Promise<void>;
}

/** Folds flat `A.1.B` keys into nested objects and lists. Undefined for a malformed key. */
export function foldQueryParameters(params: URLSearchParams): QueryInput | undefined {
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      const isIndex = /^[1-9]\d*$/.test(part);
      if (Array.isArray(node) !== isIndex) return undefined;
      const slot: string | number = isIndex ? Number(part) - 1 : part;
      const container = node as Record<string | number, unknown>;
      if (last) {
        container[slot] = value;
      } else {
        const nextIsIndex = /^[1-9]\d*$/.test(parts[i + 1]!);
        container[slot] ??= nextIsIndex ? [] : {};
        node = container[slot] as Record<string, unknown> | unknown[];
      }
    }
  }
  // A list with a gap (IpRanges.1 and IpRanges.3) is not what any SDK sends.
  const dense = (value: unknown): boolean =>
    Array.isArray(value)
      ? value.every((item, index) => index in value && dense(item))
      : typeof value === 'object' && value !== null
        ? Object.values(value).every(dense)
        : true;
  return dense(root) ? (root as QueryInput) : undefined;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

/** EC2's XML: objects as elements, lists as <item> children, scalars as text. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<item>${toXml(item)}</item>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([name, v]) => `<${name}>${toXml(v)}</${name}>`)
      .join('');
  }
  return escapeXml(String(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20261207/eu-west-1/ec2/aws4_request, ...` */
function credentialScope(authorization: string): { region: string; service: string } | undefined {
  const match = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request,/.exec(
    authorization,
  );
  return match ? { region: match[1]!, service: match[2]! } : undefined;
}

export async function startAwsQueryServer(options: {
  region: string;
  operations: Record<string, QueryOperation>;
}): Promise<AwsQueryServer> {
  const calls: RecordedQueryCall[] = [];

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const params = new URLSearchParams(body);
      const operation = params.get('Action') ?? '';
      const attempt = Number(
        /attempt=(\d+)/.exec(String(req.headers['amz-sdk-request']))?.[1] ?? 1,
      );
      const call: RecordedQueryCall = { operation, input: {}, attempt, at: Date.now() };
      calls.push(call);
      const answer = (status: number, xml: string) => {
        res.writeHead(status, {
          'content-type': 'text/xml;charset=UTF-8',
          'content-length': Buffer.byteLength(xml),
        });
        res.end(xml);
      };
      const fail = (error: Ec2Error) => {
        call.error = error.code;
        answer(
          error.status,
          `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${crypto.randomUUID()}</RequestID></Response>`,
        );
      };

      const scope = credentialScope(String(req.headers.authorization ?? ''));
      if (!scope) {
        return fail(
          new Ec2Error(
            'AuthFailure',
            'AWS was not able to validate the provided access credentials',
            401,
          ),
        );
      }
      if (scope.service !== 'ec2' || scope.region !== options.region) {
        return fail(
          new Ec2Error(
            'AuthFailure',
            `Credential should be scoped to a valid region and service: expected ${options.region}/ec2, got ${scope.region}/${scope.service}`,
            401,
          ),
        );
      }
      if (
        req.method !== 'POST' ||
        !String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')
      ) {
        return fail(new Ec2Error('InvalidAction', 'Expected a form-encoded POST'));
      }
      const handler = options.operations[operation];
      if (!handler) {
        return fail(
          new Ec2Error(
            'InvalidAction',
            `The action ${operation} is not valid for this web service.`,
          ),
        );
      }
      if (params.get('Version') !== EC2_API_VERSION) {
        return fail(
          new Ec2Error(
            'NoSuchVersion',
            `The requested version (${params.get('Version') ?? ''}) of service AmazonEC2 does not exist`,
          ),
        );
      }
      const input = foldQueryParameters(params);
      if (!input) return fail(new Ec2Error('InvalidParameterValue', 'Malformed query parameters'));
      call.input = input;
      const unknown = Object.keys(input).find((name) => !handler.parameters.includes(name));
      if (unknown) {
        return fail(new Ec2Error('UnknownParameter', `The parameter ${unknown} is not recognized`));
      }
      try {
        const result = handler.handle(input, { attempt });
        answer(
          200,
          `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${NAMESPACE}"><requestId>${crypto.randomUUID()}</requestId>${toXml(result)}</${operation}Response>`,
        );
      } catch (error) {
        if (error instanceof DropResponse) {
          call.error = 'dropped';
          req.socket.destroy();
          return;
        }
        if (error instanceof Ec2Error) return fail(error);
        fail(new Ec2Error('InternalError', String(error), 500));
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
