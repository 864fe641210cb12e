// Readiness tells the truth about a wedged dependency: polls that stopped answering, or sends
// SES leaves unanswered, make the worker not ready; it turns ready again by itself.
import { classifySesError } from '../src/classify-ses-error.ts';
import { WorkerStatus } from '../src/worker-status.ts';

it('calls polls stale after a long poll plus its deadline without an answer', () => {
  let now = 1_000_000;
  const status = new WorkerStatus(() => now);
  status.startedAt = now;
  expect(status.pollsCurrent(25_000)).toBe(true);
  now += 25_001;
  expect(status.pollsCurrent(25_000)).toBe(false);
  status.pollSucceeded();
  expect(status.pollsCurrent(25_000)).toBe(true);
  now += 30_000;
  expect(status.pollsCurrent(25_000)).toBe(false);
  // Waiting for room (every slot busy) is a healthy wait, not a wedged poll.
  status.pollersWaiting = 1;
  expect(status.pollsCurrent(25_000)).toBe(true);
});

it('marks a send SES did not answer, and not one SES refused', () => {
  const timeout = Object.assign(new Error('a request has exceeded the configured 10000 ms'), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });
  expect(classifySesError(timeout)).toMatchObject({ kind: 'retryable', unanswered: true });
  const serverError = { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } };
  expect(classifySesError(serverError)).not.toHaveProperty('unanswered');
});
