import {
  apiOperation,
  countsOf,
  countsSince,
  queueName,
  requestResource,
  resourceCountsSince,
  totalRequests,
  UNKNOWN_RESOURCE,
} from '../aws-request-counter.ts';

describe('apiOperation', () => {
  it('reads the SQS action from X-Amz-Target (JSON protocol)', () => {
    expect(apiOperation({ 'x-amz-target': 'AmazonSQS.SendMessageBatch' }, '/')).toBe(
      'SendMessageBatch',
    );
    expect(apiOperation({ 'x-amz-target': ['AmazonSQS.ReceiveMessage'] }, '/q')).toBe(
      'ReceiveMessage',
    );
  });

  it('falls back to Action= in the query string (SQS query protocol)', () => {
    expect(apiOperation({}, '/000000000000/q?Action=DeleteMessage&Version=2012-11-05')).toBe(
      'DeleteMessage',
    );
  });

  it('reads the DynamoDB operation from X-Amz-Target (DynamoDB_20120810.<Op>)', () => {
    expect(apiOperation({ 'x-amz-target': 'DynamoDB_20120810.BatchWriteItem' }, '/')).toBe(
      'BatchWriteItem',
    );
    expect(apiOperation({ 'x-amz-target': 'DynamoDB_20120810.GetItem' }, '/')).toBe('GetItem');
    expect(apiOperation({ 'x-amz-target': ['DynamoDB_20120810.PutItem'] }, '/')).toBe('PutItem');
  });

  it('returns undefined for anything that is not an API call', () => {
    expect(apiOperation({}, '/__counts')).toBeUndefined();
    expect(apiOperation({ 'x-amz-target': '' }, '/?x=1')).toBeUndefined();
  });
});

describe('requestResource', () => {
  it('names the queue of an SQS call by the last segment of its QueueUrl', () => {
    expect(
      requestResource(
        '{"QueueUrl":"http://127.0.0.1:9324/000000000000/notify-ses-events","MaxNumberOfMessages":10}',
      ),
    ).toBe('notify-ses-events');
    expect(
      requestResource('QueueUrl=http%3A%2F%2F127.0.0.1%3A9324%2F000000000000%2Fnotify-email&x=1'),
    ).toBe('notify-email');
    expect(queueName('https://sqs.us-east-1.amazonaws.com/123456789012/notify-email/')).toBe(
      'notify-email',
    );
  });

  it('names the table of a DynamoDB call, and every table of a batch', () => {
    expect(requestResource('{"TableName":"notify-status","Key":{}}')).toBe('notify-status');
    expect(
      requestResource('{"RequestItems":{"notify-status":[{"PutRequest":{}}],"notify-idem":[]}}'),
    ).toBe('notify-idem+notify-status');
  });

  it('files a body that names no queue or table as unknown', () => {
    expect(requestResource('')).toBe(UNKNOWN_RESOURCE);
    expect(requestResource('{}')).toBe(UNKNOWN_RESOURCE);
    expect(requestResource('null')).toBe(UNKNOWN_RESOURCE);
    expect(requestResource('{"RequestItems":{}}')).toBe(UNKNOWN_RESOURCE);
  });
});

describe('countsSince and totalRequests', () => {
  it('subtracts per operation and leaves out operations without new calls', () => {
    const before = { SendMessageBatch: 5, ReceiveMessage: 10 };
    const after = { SendMessageBatch: 8, ReceiveMessage: 10, DeleteMessageBatch: 2 };
    const delta = countsSince(after, before);
    expect(delta).toEqual({ SendMessageBatch: 3, DeleteMessageBatch: 2 });
    expect(totalRequests(delta)).toBe(5);
    expect(totalRequests({})).toBe(0);
  });
});

describe('resourceCountsSince and countsOf', () => {
  it('takes the difference resource by resource and sums the chosen ones by operation', () => {
    const before = { email: { ReceiveMessage: 4 }, events: { ReceiveMessage: 1 } };
    const after = {
      email: { ReceiveMessage: 4 },
      events: { ReceiveMessage: 3, DeleteMessageBatch: 2 },
      'events-dlq': { ReceiveMessage: 1 },
    };
    const delta = resourceCountsSince(after, before);
    expect(delta).toEqual({
      events: { ReceiveMessage: 2, DeleteMessageBatch: 2 },
      'events-dlq': { ReceiveMessage: 1 },
    });
    expect(countsOf(delta, ['events', 'events-dlq', 'absent'])).toEqual({
      ReceiveMessage: 3,
      DeleteMessageBatch: 2,
    });
  });
});
