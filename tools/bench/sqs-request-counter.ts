// Counts SQS API requests by action, the way AWS bills them: one request per API call, whatever
// its batch size (each 64 KiB chunk of payload counts as one more; our messages are far smaller).
// The SDK's JSON protocol names the action in the `X-Amz-Target` header
// (`AmazonSQS.SendMessageBatch`); the query protocol puts `Action=` in the body or query string.

export type SqsRequestCounts = Record<string, number>;

/** The SQS action of one request, or undefined when it is not an SQS API call. */
export function sqsAction(
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

export function totalRequests(counts: SqsRequestCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** counts after − counts before, per action (actions with no new request are left out). */
export function countsSince(after: SqsRequestCounts, before: SqsRequestCounts): SqsRequestCounts {
  const delta: SqsRequestCounts = {};
  for (const [action, n] of Object.entries(after)) {
    const d = n - (before[action] ?? 0);
    if (d > 0) delta[action] = d;
  }
  return delta;
}
