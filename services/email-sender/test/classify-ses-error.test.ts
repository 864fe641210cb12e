import {
  AccountSuspendedException,
  BadRequestException,
  InternalServiceErrorException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { classifySesError } from '../src/classify-ses-error.ts';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

function httpError(name: string, status: number, message = 'boom') {
  return Object.assign(new Error(message), { name, ...meta(status) });
}

function networkError(code: string) {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
}

describe('classifySesError', () => {
  it.each([
    [
      'TooManyRequestsException',
      new TooManyRequestsException({ message: 'Maximum sending rate exceeded.', ...meta(429) }),
    ],
    ['LimitExceededException', new LimitExceededException({ message: 'limit', ...meta(400) })],
    ['Throttling by name', httpError('Throttling', 400)],
    ['any 429', httpError('SomethingNew', 429)],
  ])('%s is retryable and counts as throttling', (_label, error) => {
    expect(classifySesError(error)).toMatchObject({ kind: 'retryable', throttled: true });
  });

  it.each([
    [
      'InternalServiceErrorException',
      new InternalServiceErrorException({ message: 'internal', ...meta(500) }),
    ],
    ['502', httpError('BadGateway', 502)],
    ['503', httpError('ServiceUnavailable', 503)],
    ['ECONNRESET', networkError('ECONNRESET')],
    ['ECONNREFUSED', networkError('ECONNREFUSED')],
    ['ETIMEDOUT', networkError('ETIMEDOUT')],
    ['SDK TimeoutError', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['an unknown failure without an answer', new Error('socket hang up')],
  ])('%s is retryable, not throttling', (_label, error) => {
    expect(classifySesError(error)).toMatchObject({ kind: 'retryable', throttled: false });
  });

  it.each([
    [
      'MessageRejected',
      new MessageRejected({ message: 'Email address is not verified.', ...meta(400) }),
    ],
    ['BadRequestException', new BadRequestException({ message: 'bad', ...meta(400) })],
    [
      'MailFromDomainNotVerifiedException',
      new MailFromDomainNotVerifiedException({ message: 'mail from', ...meta(400) }),
    ],
    [
      'NotFoundException',
      new NotFoundException({ message: 'no such configuration set', ...meta(404) }),
    ],
    ['any other 4xx', httpError('AccessDeniedException', 403)],
  ])('%s is permanent', (_label, error) => {
    expect(classifySesError(error).kind).toBe('permanent');
  });

  it.each([
    ['SendingPausedException', new SendingPausedException({ message: 'paused', ...meta(400) })],
    [
      'AccountSuspendedException',
      new AccountSuspendedException({ message: 'suspended', ...meta(400) }),
    ],
  ])('%s stops the account', (_label, error) => {
    expect(classifySesError(error).kind).toBe('account-paused');
  });

  it('keeps the error name, status and message in the reason', () => {
    const failure = classifySesError(
      new MessageRejected({ message: 'Email address is not verified.', ...meta(400) }),
    );
    expect(failure.reason).toBe('MessageRejected (HTTP 400): Email address is not verified.');
    expect(classifySesError(networkError('ECONNRESET')).reason).toContain('[ECONNRESET]');
  });

  it('masks the recipient addresses SES names in its message (the sandbox lists them)', () => {
    const failure = classifySesError(
      new MessageRejected({
        message:
          'Email address is not verified. The following identities failed the check in region ' +
          'US-EAST-1: a@b.com, c@d.org',
        ...meta(400),
      }),
    );
    expect(failure).toEqual({
      kind: 'permanent',
      reason:
        'MessageRejected (HTTP 400): Email address is not verified. The following identities ' +
        'failed the check in region US-EAST-1: a***@b.com, c***@d.org',
    });
  });

  it('copes with values that are not errors', () => {
    expect(classifySesError('weird')).toMatchObject({ kind: 'retryable', reason: 'Error: weird' });
    expect(classifySesError(undefined).kind).toBe('retryable');
  });
});
