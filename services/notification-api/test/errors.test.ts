import { ApiError, queueUnavailable, toErrorResponse } from '../src/errors.ts';

describe('error mapping', () => {
  it('renders an ApiError with its status, code, details and headers', () => {
    const error = new ApiError(429, 'RATE_LIMITED', 'slow down', {
      headers: { 'Retry-After': '2' },
      details: [{ field: 'x', rule: 'r', message: 'm' }],
    });
    expect(toErrorResponse(error)).toEqual({
      status: 429,
      body: {
        error: {
          code: 'RATE_LIMITED',
          message: 'slow down',
          details: [{ field: 'x', rule: 'r', message: 'm' }],
        },
      },
      headers: { 'Retry-After': '2' },
      reason: 'rate_limited',
      unexpected: false,
    });
  });

  it('renders a queue outage as 503 with Retry-After, not as a bug', () => {
    expect(toErrorResponse(queueUnavailable(5, new Error('down')))).toMatchObject({
      status: 503,
      headers: { 'Retry-After': '5' },
      body: { error: { code: 'QUEUE_UNAVAILABLE' } },
      unexpected: false,
    });
  });

  it.each([
    ['entity.too.large', 413, 'PAYLOAD_TOO_LARGE'],
    ['request.aborted', 400, 'REQUEST_ABORTED'],
    ['request.size.invalid', 400, 'INVALID_BODY_LENGTH'],
    ['encoding.unsupported', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['charset.unsupported', 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ])('maps body reader error %s to %i %s', (type, status, code) => {
    const error = Object.assign(new Error('raw'), { type, status: 400 });
    expect(toErrorResponse(error)).toMatchObject({ status, body: { error: { code } } });
  });

  it('keeps client statuses from libraries but shows their message only when exposed', () => {
    const hidden = Object.assign(new Error('internal detail'), { status: 400, expose: false });
    expect(toErrorResponse(hidden).body).toEqual({
      error: { code: 'BAD_REQUEST', message: 'bad request' },
    });
    const shown = Object.assign(new Error('URI malformed'), { status: 400, expose: true });
    expect(toErrorResponse(shown).body.error.message).toBe('URI malformed');
  });

  it('turns anything else into a generic 500 marked unexpected', () => {
    for (const thrown of [new TypeError('x is undefined'), 'a string', null, { status: 502 }]) {
      expect(toErrorResponse(thrown)).toEqual({
        status: 500,
        body: { error: { code: 'INTERNAL_ERROR', message: 'internal error' } },
        headers: {},
        reason: 'internal_error',
        unexpected: true,
      });
    }
  });
});
