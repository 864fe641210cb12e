// Bad input on the API side, property-based, on the real process and raw sockets: body sizes
// around and over BODY_LIMIT_BYTES, declared lengths that do not match, chunked bodies, charsets
// and encodings, bytes that are not UTF-8. (Paths, methods, headers and body shapes are covered
// by services/notification-api/test/property.test.ts on the app.) Never a 5xx, every error in
// the documented JSON format, and the process keeps serving.
import { connect } from 'node:net';
import fc from 'fast-check';
import { DEV_TOKEN } from '@notify/local-stack';
import { startDrillStack, type DrillStack, type ServiceHandle } from '../support/drill-stack.ts';

jest.setTimeout(90_000);

const LIMIT = 2048;
let stack: DrillStack;
let api: ServiceHandle;

beforeAll(async () => {
  stack = await startDrillStack('drill-sizes');
  api = await stack.startApi({ env: { BODY_LIMIT_BYTES: String(LIMIT) } });
});

afterAll(async () => {
  await stack?.stop();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends raw bytes, reads until the server closes, and parses the first response. */
function rawExchange(port: number, bytes: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0)
        return reject(new Error(`no HTTP response: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? text.length);
      const body = Buffer.from(text.slice(end + 4), 'latin1')
        .subarray(0, length)
        .toString('utf8');
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
    // write, not end: a half-closed client may lose its answer (Node aborts requests in progress
    // when the client ends its side first). `Connection: close` makes the server close after it.
    socket.write(bytes);
  });
}

const validJson = (size: number) => {
  const base = { to: 'fuzz@example.com', subject: 'size fuzz', text: '' };
  const room = Math.max(1, size - Buffer.byteLength(JSON.stringify(base)));
  return Buffer.from(JSON.stringify({ ...base, text: 'é'.repeat(Math.ceil(room / 2)) }));
};

/** Weighted so that well-formed requests of every size are common and every refusal occurs. */
const payload = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: LIMIT * 2 }).map(validJson), weight: 4 },
  { arbitrary: fc.uint8Array({ maxLength: LIMIT * 2 }).map((a) => Buffer.from(a)), weight: 1 },
  {
    arbitrary: fc.string({ unit: 'binary', maxLength: 1500 }).map((s) => Buffer.from(s, 'utf8')),
    weight: 1,
  },
  { arbitrary: fc.constant(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), weight: 1 },
);

const weighted = <T>(...entries: Array<[T, number]>) =>
  fc.oneof(...entries.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));

const request = fc.record({
  payload,
  framing: weighted<'exact' | 'chunked' | 'shorter-than-sent' | 'none'>(
    ['exact', 4],
    ['chunked', 3],
    ['shorter-than-sent', 1],
    ['none', 1],
  ),
  contentType: weighted(
    ['application/json', 6],
    ['application/json; charset=utf-8', 2],
    ['application/json; charset=utf-16', 1],
    ['application/json; charset=iso-8859-1', 1],
    ['text/plain', 1],
  ),
  contentEncoding: weighted<string | null>(
    [null, 6],
    ['identity', 2],
    ['gzip', 1],
    ['deflate', 1],
    ['x-unknown', 1],
  ),
});

type RawRequest = typeof request extends fc.Arbitrary<infer T> ? T : never;

function build(r: RawRequest): Buffer {
  const head = [
    'POST /v1/notifications HTTP/1.1',
    'Host: 127.0.0.1',
    `Authorization: Bearer ${DEV_TOKEN}`,
    `Content-Type: ${r.contentType}`,
    'Connection: close',
  ];
  if (r.contentEncoding) head.push(`Content-Encoding: ${r.contentEncoding}`);
  let body = r.payload;
  if (r.framing === 'exact') head.push(`Content-Length: ${body.length}`);
  if (r.framing === 'shorter-than-sent')
    head.push(`Content-Length: ${Math.floor(body.length / 2)}`);
  if (r.framing === 'chunked') {
    head.push('Transfer-Encoding: chunked');
    const half = Math.floor(body.length / 2);
    const chunk = (b: Buffer) =>
      b.length
        ? Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')])
        : Buffer.alloc(0);
    body = Buffer.concat([
      chunk(body.subarray(0, half)),
      chunk(body.subarray(half)),
      Buffer.from('0\r\n\r\n'),
    ]);
  }
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]);
}

it('never answers 5xx and always in the JSON formats, whatever the size, framing or encoding', async () => {
  const port = Number(new URL(api.url).port);
  const statuses = new Map<number, number>();
  let parserRejections = 0;
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const answer = await rawExchange(port, build(r));
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      expect(answer.status).toBeLessThan(500);
      // Bytes beyond the declared body are a second, malformed request: the HTTP parser refuses
      // it, and the API answers that in its JSON format too (MALFORMED_REQUEST), then closes.
      const parsed = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
      if (answer.status === 202) {
        expect(parsed).toEqual({ id: expect.any(String), status: 'queued' });
        expect(r.payload.length).toBeLessThanOrEqual(LIMIT);
      } else {
        expect(parsed.error).toEqual(
          expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
        );
      }
      if (answer.status === 413) expect(parsed.error?.code).toBe('PAYLOAD_TOO_LARGE');
      if (parsed.error?.code === 'MALFORMED_REQUEST') parserRejections += 1;
    }),
    { numRuns: 150, seed: 20261122 },
  );
  // The generator reaches acceptance and each kind of refusal, or the property would prove little.
  expect([...statuses.keys()]).toEqual(expect.arrayContaining([202, 400, 413, 415]));
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
  expect(api.proc.child.exitCode).toBeNull();
  console.log(
    `api size/encoding fuzz: statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
      `${parserRejections} refused by the HTTP parser (answered MALFORMED_REQUEST)`,
  );
});
