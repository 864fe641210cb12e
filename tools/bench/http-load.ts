// Closed-loop HTTP load with autocannon from the bench process (never the API's process):
// fixed concurrency, bounded in time and in request count, loopback only.
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Hard cap on requests, whatever the duration. */
  maxRequests: number;
  body: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  /** 2xx answers (202 accepted) per second. */
  acceptedPerSecond: number;
  accepted: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    throw new Error(`load is only driven at loopback addresses, not ${host}`);
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  assertLoopback(options.url);
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: options.durationSeconds,
    maxOverallRequests: Math.max(options.maxRequests, options.connections),
    headers: options.headers,
    body: options.body,
    timeout: 10,
  });
  const accepted = result['2xx'];
  return {
    connections: options.connections,
    durationSeconds: result.duration,
    acceptedPerSecond: Math.round(accepted / result.duration),
    accepted,
    non2xx: result.non2xx,
    errors: result.errors,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}
