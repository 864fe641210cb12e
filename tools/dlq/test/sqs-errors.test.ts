import { QueueDoesNotExist, SQSServiceException, UnsupportedOperation } from '@aws-sdk/client-sqs';
import { describeSqsError, DlqError, isUnsupportedOperation } from '../src/sqs-errors.ts';

function serviceError(name: string, message: string): SQSServiceException {
  return new SQSServiceException({ name, message, $fault: 'client', $metadata: {} });
}

const local = { AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566', AWS_REGION: 'us-east-1' };
const aws = { AWS_REGION: 'eu-west-1' };

describe('describeSqsError', () => {
  it('names the missing queue and where it was looked for', () => {
    const error = new QueueDoesNotExist({
      message: 'The specified queue does not exist.',
      $metadata: {},
    });
    expect(
      describeSqsError(error, { operation: 'GetQueueUrl', queue: 'notify-x-dlq' }, local).message,
    ).toBe('queue notify-x-dlq not found at http://127.0.0.1:4566 (AWS_ENDPOINT_URL_SQS)');
    expect(
      describeSqsError(error, { operation: 'GetQueueUrl', queue: 'notify-x-dlq' }, aws).message,
    ).toBe('queue notify-x-dlq not found at SQS in eu-west-1');
  });

  it('says which permission an access denial is about', () => {
    const denied = serviceError('AccessDenied', 'not authorized to perform sqs:ReceiveMessage');
    expect(
      describeSqsError(denied, { operation: 'ReceiveMessage', queue: 'q-dlq' }, aws).message,
    ).toBe(
      'access denied: ReceiveMessage on q-dlq needs sqs:ReceiveMessage (SQS said: not authorized to perform sqs:ReceiveMessage)',
    );
    const moveDenied = serviceError('AccessDeniedException', 'denied');
    expect(
      describeSqsError(moveDenied, { operation: 'StartMessageMoveTask', queue: 'q-dlq' }, aws)
        .message,
    ).toContain(
      'needs sqs:StartMessageMoveTask plus sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on the dead-letter queue and sqs:SendMessage on the destination',
    );
  });

  it('points at the endpoint when nothing answers', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), {
      code: 'ECONNREFUSED',
    });
    expect(describeSqsError(refused, { operation: 'ListQueues' }, local).message).toBe(
      'cannot reach http://127.0.0.1:4566 (AWS_ENDPOINT_URL_SQS) for ListQueues (ECONNREFUSED); for the local stack, is `npm start` running?',
    );
  });

  it('keeps SQS words for anything else, and passes its own errors through', () => {
    const other = serviceError('InvalidParameterValue', 'bad value');
    expect(describeSqsError(other, { operation: 'ReceiveMessage', queue: 'q' }, aws).message).toBe(
      'ReceiveMessage on q failed: InvalidParameterValue: bad value',
    );
    const own = new DlqError('already explained');
    expect(describeSqsError(own, { operation: 'ReceiveMessage' })).toBe(own);
  });
});

describe('isUnsupportedOperation', () => {
  it("knows SQS's answer and the emulators' answers, and nothing else", () => {
    expect(isUnsupportedOperation(new UnsupportedOperation({ message: 'no', $metadata: {} }))).toBe(
      true,
    );
    expect(
      isUnsupportedOperation(serviceError('InvalidAction', 'Unknown action: StartMessageMoveTask')),
    ).toBe(true);
    expect(isUnsupportedOperation(serviceError('UnknownOperationException', ''))).toBe(true);
    expect(isUnsupportedOperation(serviceError('AccessDenied', ''))).toBe(false);
    expect(isUnsupportedOperation(serviceError('ResourceNotFoundException', ''))).toBe(false);
    expect(isUnsupportedOperation(new Error('InvalidAction'))).toBe(false);
  });
});
