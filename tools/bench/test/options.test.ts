import { parseBenchArgs, PROFILES, UsageError } from '../options.ts';

describe('parseBenchArgs', () => {
  it('runs the full profile by default and the quick one with --quick', () => {
    expect(parseBenchArgs([])).toEqual({ profile: PROFILES.full, jsonPath: undefined });
    expect(parseBenchArgs(['--quick', '--json', 'out/b.json'])).toEqual({
      profile: PROFILES.quick,
      jsonPath: 'out/b.json',
    });
  });

  it('refuses unknown options, positionals and an empty --json path with the usage line', () => {
    for (const argv of [['--fast'], ['quick'], ['--json', ' '], ['--json']]) {
      expect(() => parseBenchArgs(argv)).toThrow(UsageError);
    }
    expect(() => parseBenchArgs(['--fast'])).toThrow(/--fast[\s\S]*usage: npm run bench/);
  });

  it('keeps the quick profile small enough for about a minute', () => {
    const q = PROFILES.quick;
    const apiSeconds = q.concurrencies.length * 3 * q.apiSeconds + 3 * q.warmupSeconds;
    expect(apiSeconds).toBeLessThanOrEqual(40);
    expect(q.e2eCount / q.e2eRatePerSecond).toBeLessThanOrEqual(5);
    expect(q.e2eLowRateCount / q.e2eLowRatePerSecond).toBeLessThanOrEqual(5);
  });

  it('measures a lone client (concurrency 1) and the low rate of 20/s in both profiles', () => {
    for (const profile of [PROFILES.quick, PROFILES.full]) {
      expect(profile.concurrencies).toEqual([1, 16, 64]);
      expect(profile.e2eLowRatePerSecond).toBe(20);
      expect(profile.e2eLowRateCount).toBeGreaterThanOrEqual(100);
    }
    expect(PROFILES.full.e2eRatePerSecond).toBe(400);
  });
});
