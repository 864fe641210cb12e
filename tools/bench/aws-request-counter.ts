// Counts AWS API requests by operation, the way SQS bills them: one request per API call,
// whatever its batch size (each 64 KiB chunk of payload counts as one more; our messages are far
// smaller). The SDK's JSON protocols name the operation in the `X-Amz-Target` header
// (`AmazonSQS.SendMessageBatch`, `DynamoDB_20120810.BatchWriteItem`); SQS's query protocol puts
// `Action=` in the body or query string. Each request is also attributed to the queue or table
// it addresses, so the bench can tell the notification path from the status path.

export type RequestCounts = Record<string, number>;

/** Counts by resource (queue or table name), then by operation. */
export type ResourceCounts = Record<string, RequestCounts>;

/** The operation of one request (SQS action or DynamoDB operation), or undefined. */
export function apiOperation(
  headers: Record<string, string | string[] | undefined>,
  url: string,
): string | undefined {
  const target = headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  if (value) {
    const dot = value.lastIndexOf('.');
    return dot >= 0 ? value.slice(dot + 1) : value;
  }
  const query = url.indexOf('?');
  if (query >= 0) {
    const action = new URLSearchParams(url.slice(query + 1)).get('Action');
    if (action) return action;
  }
  return undefined;
}

/** Marks a request whose queue or table could not be read from its body. */
export const UNKNOWN_RESOURCE = '(unknown)';

/**
 * The queue (last segment of `QueueUrl`) or the table (`TableName`, or the tables of a batch's
 * `RequestItems`, joined with "+") a request addresses; UNKNOWN_RESOURCE when the body names
 * none. JSON bodies (both services' JSON protocols) and form bodies (SQS query protocol).
 */
export function requestResource(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const queueUrl = new URLSearchParams(body).get('QueueUrl');
    return queueUrl ? queueName(queueUrl) : UNKNOWN_RESOURCE;
  }
  if (typeof parsed !== 'object' || parsed === null) return UNKNOWN_RESOURCE;
  const fields = parsed as Record<string, unknown>;
  if (typeof fields.QueueUrl === 'string') return queueName(fields.QueueUrl);
  if (typeof fields.TableName === 'string') return fields.TableName;
  if (typeof fields.RequestItems === 'object' && fields.RequestItems !== null) {
    const tables = Object.keys(fields.RequestItems).sort();
    if (tables.length > 0) return tables.join('+');
  }
  return UNKNOWN_RESOURCE;
}

/** The last path segment of a queue URL: the name the proxy files the queue's requests under. */
export function queueName(queueUrl: string): string {
  const path = queueUrl.split('?')[0].replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1) || UNKNOWN_RESOURCE;
}

export function totalRequests(counts: RequestCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** counts after − counts before, per operation (operations with no new request are left out). */
export function countsSince(after: RequestCounts, before: RequestCounts): RequestCounts {
  const delta: RequestCounts = {};
  for (const [operation, n] of Object.entries(after)) {
    const d = n - (before[operation] ?? 0);
    if (d > 0) delta[operation] = d;
  }
  return delta;
}

/** The counts of the given resources, summed by operation. */
export function countsOf(byResource: ResourceCounts, resources: string[]): RequestCounts {
  const sum: RequestCounts = {};
  for (const resource of resources) {
    for (const [operation, n] of Object.entries(byResource[resource] ?? {})) {
      sum[operation] = (sum[operation] ?? 0) + n;
    }
  }
  return sum;
}

/** byResource after − before, resource by resource (resources with no new request left out). */
export function resourceCountsSince(after: ResourceCounts, before: ResourceCounts): ResourceCounts {
  const delta: ResourceCounts = {};
  for (const [resource, counts] of Object.entries(after)) {
    const d = countsSince(counts, before[resource] ?? {});
    if (Object.keys(d).length > 0) delta[resource] = d;
  }
  return delta;
}
