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
    expect(apiSeconds).toBeLessThanOrEqual(30);
    expect(q.e2eCount / q.e2eRatePerSecond).toBeLessThanOrEqual(5);
    expect(PROFILES.full.concurrencies).toEqual([16, 64]);
  });
});
