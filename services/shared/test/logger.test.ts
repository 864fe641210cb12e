import { Writable } from 'node:stream';
import { createLogger, maskEmail, maskEmailsInText, maskRecipients } from '../src/logger.ts';
import { buildEmfRecord, createMetrics } from '../src/metrics.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('masks recipient addresses at any depth', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 't', destination });
    log.info(
      { email: { to: ['jane@example.com'], cc: ['bob@corp.io'] }, recipient: 'x@y.z' },
      'sent',
    );
    const out = lines.join('');
    expect(out).not.toContain('jane@example.com');
    expect(out).not.toContain('bob@corp.io');
    expect(out).toContain('j***@example.com');
    expect(JSON.parse(out)).toMatchObject({ service: 't', level: 'info', recipient: 'x***@y.z' });
  });

  // The shape of SES's sandbox rejection, which names every unverified recipient.
  const SANDBOX_MESSAGE =
    'Email address is not verified. The following identities failed the check in region ' +
    'US-EAST-1: a@b.com, c@d.org';

  it('masks every address inside free text and keeps the rest', () => {
    expect(maskEmailsInText(SANDBOX_MESSAGE)).toBe(
      'Email address is not verified. The following identities failed the check in region ' +
        'US-EAST-1: a***@b.com, c***@d.org',
    );
    expect(maskEmailsInText('to <jane.doe+x@mail.example.co.uk>.')).toBe(
      'to <j***@mail.example.co.uk>.',
    );
    expect(maskEmailsInText('rejected "ünïcode@exämple.de"')).toBe('rejected "ü***@exämple.de"');
    expect(maskEmailsInText('no address here, @ alone')).toBe('no address here, @ alone');
  });

  it('masks addresses in errors and in free-text fields of a log line', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 't', destination });
    const error = Object.assign(new Error(SANDBOX_MESSAGE), { name: 'MessageRejected' });
    log.warn({ err: error, reason: `MessageRejected (HTTP 400): ${SANDBOX_MESSAGE}` }, 'failed');
    log.warn({ nested: { error: SANDBOX_MESSAGE } }, 'failed');
    log.error(error, 'first-argument error');
    const out = lines.join('');
    expect(out).not.toContain('a@b.com');
    expect(out).not.toContain('c@d.org');
    type Line = {
      err: { message: string; stack: string };
      reason: string;
      nested: { error: string };
    };
    const [first, second, third] = lines.map((l) => JSON.parse(l) as Line);
    expect(first.err.message).toContain('a***@b.com, c***@d.org');
    expect(first.err.stack).toContain('a***@b.com');
    expect(first.reason).toContain('US-EAST-1: a***@b.com, c***@d.org');
    expect(second.nested.error).toContain('c***@d.org');
    expect(third.err.message).toContain('a***@b.com');
  });

  it('masks non-addresses completely', () => {
    expect(maskEmail('nope')).toBe('***');
    expect(maskEmail(42)).toBe('***');
  });
});

describe('EMF records', () => {
  it('declares every metric under the namespace with its dimensions', () => {
    const rec = buildEmfRecord(
      'Notify',
      { Sent: { value: 3, unit: 'Count' } },
      { Service: 'w' },
      1000,
    );
    expect(rec).toEqual({
      _aws: {
        Timestamp: 1000,
        CloudWatchMetrics: [
          {
            Namespace: 'Notify',
            Dimensions: [['Service']],
            Metrics: [{ Name: 'Sent', Unit: 'Count' }],
          },
        ],
      },
      Service: 'w',
      Sent: 3,
    });
  });
});

describe('buffered EMF metrics', () => {
  function emitter(flushIntervalMs: number) {
    const { lines, destination } = capture();
    const log = createLogger({ service: 't', destination });
    const metrics = createMetrics(
      log,
      'Notify',
      { Service: 'api' },
      { flushIntervalMs, now: () => 5 },
    );
    const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    return { metrics, records };
  }

  it('writes at once without a flush interval', () => {
    const { metrics, records } = emitter(0);
    metrics.emit({ Requests: { value: 1, unit: 'Count' } });
    expect(records()).toHaveLength(1);
    expect(records()[0]).toMatchObject({ Requests: 1, Service: 'api' });
  });

  it('buffers values per dimension set into EMF arrays until flushed', () => {
    const { metrics, records } = emitter(60_000);
    metrics.emit({
      Requests: { value: 1, unit: 'Count' },
      Latency: { value: 3, unit: 'Milliseconds' },
    });
    metrics.emit({
      Requests: { value: 1, unit: 'Count' },
      Latency: { value: 7, unit: 'Milliseconds' },
    });
    metrics.emit({ Rejected: { value: 1, unit: 'Count' } }, { Reason: 'validation' });
    expect(records()).toHaveLength(0);
    metrics.close();
    const [main, rejected] = records();
    expect(main).toMatchObject({ Requests: [1, 1], Latency: [3, 7], Service: 'api' });
    expect(main!._aws).toEqual({
      Timestamp: 5,
      CloudWatchMetrics: [
        {
          Namespace: 'Notify',
          Dimensions: [['Service']],
          Metrics: [
            { Name: 'Requests', Unit: 'Count' },
            { Name: 'Latency', Unit: 'Milliseconds' },
          ],
        },
      ],
    });
    expect(rejected).toMatchObject({ Rejected: 1, Reason: 'validation', Service: 'api' });
    // Nothing is written twice.
    metrics.flush();
    expect(records()).toHaveLength(2);
  });

  it('writes a group as soon as one of its arrays holds the 100 values EMF allows', () => {
    const { metrics, records } = emitter(60_000);
    for (let i = 0; i < 100; i += 1) metrics.emit({ Sent: { value: 1, unit: 'Count' } });
    expect(records()).toHaveLength(1);
    expect((records()[0]!.Sent as number[]).length).toBe(100);
    metrics.close();
  });
});

describe('maskRecipients', () => {
  it('masks recipient fields in nested objects and arrays without touching the input', () => {
    const input = {
      batch: [{ email: { to: ['a@x.io'], subject: 'kept' } }],
      replyTo: 'r@y.io',
      count: 2,
    };
    const copy = JSON.parse(JSON.stringify(input));
    expect(maskRecipients(input)).toEqual({
      batch: [{ email: { to: ['a***@x.io'], subject: 'kept' } }],
      replyTo: 'r***@y.io',
      count: 2,
    });
    expect(input).toEqual(copy);
  });

  it('returns the same object when there is nothing to mask', () => {
    const line = { method: 'POST', status: 202, nested: { a: 1 } };
    expect(maskRecipients(line)).toBe(line);
  });
});
