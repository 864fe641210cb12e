import { createManualClock } from '../src/clock.ts';
import { applyJitter, DeadlineExceededError, poll } from '../src/poll.ts';

const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
const isThrottle = (error: unknown) => (error as Error).name === 'ThrottlingException';

describe('poll', () => {
  it('polls at the steady interval until the check is done', async () => {
    const clock = createManualClock();
    const states = ['Created', 'InProgress', 'InProgress', 'Succeeded'];
    const value = await poll(
      async (attempt) => {
        const state = states[attempt - 1];
        return state === 'Succeeded' ? { done: true, value: state } : { done: false };
      },
      { intervalMs: 5_000, deadline: clock.now() + 60_000, clock, jitter: 0 },
    );
    expect(value).toBe('Succeeded');
    expect(clock.sleeps).toEqual([5_000, 5_000, 5_000]);
  });

  it('backs off exponentially on retryable errors, capped, and resets after a success', async () => {
    const clock = createManualClock();
    const script: Array<'throttle' | 'pending' | 'done'> = [
      'throttle',
      'throttle',
      'throttle',
      'throttle',
      'pending',
      'throttle',
      'done',
    ];
    const seen: number[] = [];
    await poll(
      async (attempt) => {
        const step = script[attempt - 1];
        if (step === 'throttle') throw throttled;
        return step === 'done' ? { done: true, value: undefined } : { done: false };
      },
      {
        intervalMs: 1_000,
        maxIntervalMs: 10_000,
        deadline: clock.now() + 600_000,
        clock,
        jitter: 0,
        isRetryableError: isThrottle,
        onRetryableError: (_error, delay) => seen.push(delay),
      },
    );
    expect(clock.sleeps).toEqual([2_000, 4_000, 8_000, 10_000, 1_000, 2_000]);
    expect(seen).toEqual([2_000, 4_000, 8_000, 10_000, 2_000]);
  });

  it('rethrows errors that are not retryable', async () => {
    const clock = createManualClock();
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    await expect(
      poll(
        async () => {
          throw denied;
        },
        { intervalMs: 1_000, deadline: clock.now() + 10_000, clock, isRetryableError: isThrottle },
      ),
    ).rejects.toBe(denied);
  });

  it('throws DeadlineExceededError without sleeping past the deadline', async () => {
    const clock = createManualClock();
    const start = clock.now();
    const error = await poll(async () => ({ done: false }), {
      intervalMs: 4_000,
      deadline: start + 10_000,
      clock,
      jitter: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as DeadlineExceededError).attempts).toBe(4);
    expect(clock.sleeps).toEqual([4_000, 4_000, 2_000]);
    expect(clock.now()).toBe(start + 10_000);
  });

  it('honours nextDelayMs from the check', async () => {
    const clock = createManualClock();
    await poll(
      async (attempt) =>
        attempt < 3 ? { done: false, nextDelayMs: 250 } : { done: true, value: 1 },
      { intervalMs: 5_000, deadline: clock.now() + 10_000, clock, jitter: 0 },
    );
    expect(clock.sleeps).toEqual([250, 250]);
  });

  it('stops when aborted', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    const result = poll(
      async (attempt) => {
        if (attempt === 2) controller.abort(new Error('cancelled by the workflow'));
        return { done: false };
      },
      { intervalMs: 1_000, deadline: clock.now() + 60_000, clock, signal: controller.signal },
    );
    await expect(result).rejects.toThrow('cancelled by the workflow');
  });

  it('jitter spreads delays symmetrically within the fraction', () => {
    expect(applyJitter(1_000, 0.2, () => 0)).toBe(800);
    expect(applyJitter(1_000, 0.2, () => 0.5)).toBe(1_000);
    expect(applyJitter(1_000, 0.2, () => 0.999999)).toBe(1_200);
    expect(applyJitter(1_000, 0, () => 0)).toBe(1_000);
  });
});
