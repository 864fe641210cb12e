import { createInputReader, getInputFromEnv, InputError, parseDuration } from '../src/inputs.ts';

const reader = (values: Record<string, string>) => createInputReader((name) => values[name] ?? '');

describe('input reader', () => {
  it('names the input when a required one is missing', () => {
    expect(() => reader({}).string('cluster', { required: true })).toThrow(
      "Input 'cluster' is required but was not given",
    );
    try {
      reader({ cluster: '  ' }).string('cluster', { required: true });
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).input).toBe('cluster');
    }
  });

  it('applies fallbacks and patterns', () => {
    expect(reader({}).string('container-name', { fallback: 'api' })).toBe('api');
    expect(reader({}).optional('test-url')).toBeUndefined();
    expect(() =>
      reader({ service: 'bad name' }).string('service', {
        pattern: /^[\w-]+$/,
        hint: 'letters, digits, - and _',
      }),
    ).toThrow("Input 'service' must be letters, digits, - and _; got 'bad name'");
  });

  it('checks enums case-insensitively and lists the allowed values', () => {
    const r = reader({ severity: 'high', bad: 'urgent' });
    expect(r.oneOf('severity', ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])).toBe('HIGH');
    expect(() => r.oneOf('bad', ['LOW', 'HIGH'])).toThrow(
      "Input 'bad' must be one of LOW, HIGH; got 'urgent'",
    );
    expect(r.oneOf('missing', ['LOW', 'HIGH'], { fallback: 'LOW' })).toBe('LOW');
  });

  it('parses whole numbers within a range', () => {
    const r = reader({ n: '12', neg: '-1', text: '5x', big: '1000' });
    expect(r.int('n', { min: 1, max: 100 })).toBe(12);
    expect(r.int('missing', { fallback: 30 })).toBe(30);
    expect(() => r.int('neg', { min: 0 })).toThrow("Input 'neg' must be at least 0; got -1");
    expect(() => r.int('text', {})).toThrow("Input 'text' must be a whole number; got '5x'");
    expect(() => r.int('big', { max: 360 })).toThrow("Input 'big' must be at most 360; got 1000");
  });

  it('parses durations with units and bounds', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('30', 'm')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('soon')).toBeUndefined();
    const r = reader({ timeout: '2h', poll: 'fast' });
    expect(() => r.duration('timeout', { maxMs: 3_600_000 })).toThrow(
      "Input 'timeout' must be at most 1h; got '2h'",
    );
    expect(() => r.duration('poll', {})).toThrow("Input 'poll' must be a duration");
  });

  it('accepts only http(s) URLs and strips the trailing slash', () => {
    const r = reader({ ok: 'http://alb.example.com:8080/', ftp: 'ftp://x', junk: 'not a url' });
    expect(r.url('ok')).toBe('http://alb.example.com:8080');
    expect(r.url('missing')).toBeUndefined();
    expect(() => r.url('ftp')).toThrow("Input 'ftp' must use http or https");
    expect(() => r.url('junk')).toThrow("Input 'junk' must be an absolute http(s) URL");
    expect(() => r.url('missing', { required: true })).toThrow("Input 'missing' is required");
  });

  it('reads YAML booleans and rejects anything else', () => {
    const r = reader({ a: 'true', b: 'False', c: 'yes' });
    expect(r.boolean('a')).toBe(true);
    expect(r.boolean('b')).toBe(false);
    expect(r.boolean('missing', { fallback: true })).toBe(true);
    expect(() => r.boolean('c')).toThrow("Input 'c' must be true or false; got 'yes'");
  });

  it('splits lists on commas and newlines', () => {
    expect(reader({ tags: 'a, b\nc,,\n' }).list('tags')).toEqual(['a', 'b', 'c']);
  });

  it('reads INPUT_ variables the way @actions/core does', () => {
    const get = getInputFromEnv({ 'INPUT_AWS-REGION': ' eu-west-1 ', INPUT_TEST_URL: 'x' });
    expect(get('aws-region')).toBe('eu-west-1');
    expect(get('test url')).toBe('x');
    expect(get('other')).toBe('');
  });
});
