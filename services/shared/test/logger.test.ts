import { Writable } from 'node:stream';
import { createLogger, maskEmail } from '../src/logger.ts';
import { buildEmfRecord } from '../src/metrics.ts';

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
