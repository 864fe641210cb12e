import { z } from 'zod';
import { ConfigError, env, readConfig } from '../src/config.ts';

const schema = z
  .object({
    URL: env.url('URL of the queue'),
    PORT: env.int(0, 65535, 3000),
    RATE: env.positive(50),
    FLAG: env.bool(false),
    NAME: env.text(undefined, { min: 3, max: 10 }),
    NOTE: env.optionalText(),
    LOG_LEVEL: env.logLevel(),
  })
  .superRefine((c, ctx) => {
    if (c.PORT === 1) ctx.addIssue({ code: 'custom', path: ['PORT'], message: 'is reserved' });
  });

const valid = { URL: 'http://127.0.0.1:4566/q', NAME: 'abc' };

describe('env field builders', () => {
  it('applies defaults for unset and blank variables', () => {
    expect(readConfig(schema, { ...valid, PORT: '', FLAG: ' ' })).toEqual({
      URL: valid.URL,
      PORT: 3000,
      RATE: 50,
      FLAG: false,
      NAME: 'abc',
      NOTE: undefined,
      LOG_LEVEL: 'info',
    });
  });

  it('parses set values', () => {
    expect(
      readConfig(schema, { ...valid, PORT: '8080', RATE: '2.5', FLAG: '1', NOTE: ' x ' }),
    ).toMatchObject({ PORT: 8080, RATE: 2.5, FLAG: true, NOTE: 'x' });
  });

  it('names every problem at once, each with its rule and the value given', () => {
    let message = '';
    try {
      readConfig(schema, { URL: 'ftp://x', PORT: '70000', RATE: '0', FLAG: 'yes', LOG_LEVEL: 'x' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain(
      'URL: must be the URL of the queue (an http or https URL; got "ftp://x")',
    );
    expect(message).toContain('PORT: must be an integer from 0 to 65535 (got "70000")');
    expect(message).toContain('RATE: must be a number above 0');
    expect(message).toContain('FLAG: must be true or false (got "yes")');
    expect(message).toContain('NAME: is required');
    expect(message).toContain('LOG_LEVEL: must be one of fatal, error');
  });

  it('still runs cross-field checks when a field is invalid', () => {
    expect(() => readConfig(schema, { ...valid, PORT: '1', RATE: 'x' })).toThrow(
      /RATE: must be a number[\s\S]*PORT: is reserved|PORT: is reserved[\s\S]*RATE: must be/,
    );
  });

  it('rejects text outside its length limits', () => {
    expect(() => readConfig(schema, { ...valid, NAME: 'ab' })).toThrow(
      'NAME: must be 3 to 10 characters (got 2)',
    );
  });
});
