import { countsSince, sqsAction, totalRequests } from '../sqs-request-counter.ts';

describe('sqsAction', () => {
  it('reads the action from X-Amz-Target (JSON protocol)', () => {
    expect(sqsAction({ 'x-amz-target': 'AmazonSQS.SendMessageBatch' }, '/')).toBe(
      'SendMessageBatch',
    );
    expect(sqsAction({ 'x-amz-target': ['AmazonSQS.ReceiveMessage'] }, '/q')).toBe(
      'ReceiveMessage',
    );
  });

  it('falls back to Action= in the query string (query protocol)', () => {
    expect(sqsAction({}, '/000000000000/q?Action=DeleteMessage&Version=2012-11-05')).toBe(
      'DeleteMessage',
    );
  });

  it('returns undefined for anything that is not an SQS call', () => {
    expect(sqsAction({}, '/__counts')).toBeUndefined();
    expect(sqsAction({ 'x-amz-target': '' }, '/?x=1')).toBeUndefined();
  });
});

describe('countsSince and totalRequests', () => {
  it('subtracts per action and leaves out actions without new calls', () => {
    const before = { SendMessageBatch: 5, ReceiveMessage: 10 };
    const after = { SendMessageBatch: 8, ReceiveMessage: 10, DeleteMessageBatch: 2 };
    const delta = countsSince(after, before);
    expect(delta).toEqual({ SendMessageBatch: 3, DeleteMessageBatch: 2 });
    expect(totalRequests(delta)).toBe(5);
    expect(totalRequests({})).toBe(0);
  });
});
