import { visibilityLeftSeconds } from '../../src/webhooks/dispatcher.ts';
import {
  maxAttempts,
  retryDelaySeconds,
  SQS_MAX_VISIBILITY_SECONDS,
  WEBHOOK_RETRY_SCHEDULE_SECONDS,
} from '../../src/webhooks/schedule.ts';

describe('retryDelaySeconds', () => {
  it('follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h without jitter (random = 0.5)', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelaySeconds(n, undefined, () => 0.5));
    expect(delays).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
  });

  it('spans about a day in all and stays under the SQS visibility cap', () => {
    const total = WEBHOOK_RETRY_SCHEDULE_SECONDS.reduce((a, b) => a + b, 0);
    expect(total / 3600).toBeGreaterThan(24);
    expect(total / 3600).toBeLessThan(30);
    for (let n = 1; n <= 7; n++) {
      expect(retryDelaySeconds(n, undefined, () => 0.999_999)).toBeLessThanOrEqual(
        SQS_MAX_VISIBILITY_SECONDS,
      );
    }
  });

  it('jitters each delay within ±20 %', () => {
    expect(retryDelaySeconds(2, undefined, () => 0)).toBe(240);
    expect(retryDelaySeconds(2, undefined, () => 0.999_999)).toBe(360);
    const seen = new Set(Array.from({ length: 50 }, () => retryDelaySeconds(4)));
    expect(seen.size).toBeGreaterThan(10);
    for (const delay of seen) {
      expect(delay).toBeGreaterThanOrEqual(5760);
      expect(delay).toBeLessThanOrEqual(8640);
    }
  });

  it('caps a long delay at 12 hours', () => {
    expect(retryDelaySeconds(1, [50_000], () => 0.5)).toBe(SQS_MAX_VISIBILITY_SECONDS);
  });

  it('says when the last attempt has been made', () => {
    expect(retryDelaySeconds(8)).toBeUndefined();
    expect(maxAttempts()).toBe(8);
    expect(retryDelaySeconds(3, [1, 1])).toBeUndefined();
    expect(() => retryDelaySeconds(0)).toThrow(/>= 1/);
  });
});

describe('visibilityLeftSeconds', () => {
  it('keeps a retry delay inside the 12 hours SQS allows from the receive', () => {
    expect(visibilityLeftSeconds(0, 0)).toBe(SQS_MAX_VISIBILITY_SECONDS - 60);
    expect(visibilityLeftSeconds(0, 10_500)).toBe(SQS_MAX_VISIBILITY_SECONDS - 11 - 60);
    expect(visibilityLeftSeconds(0, 13 * 3600 * 1000)).toBe(0);
  });
});
