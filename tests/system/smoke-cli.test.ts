// `npm run smoke -- --help` prints usage and exits 0, without testing anything; an unknown
// option prints the usage too and exits 2.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const cli = join(process.cwd(), 'actions/smoke-test/src/cli.ts');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });

it.each(['--help', '-h'])('%s prints the usage and exits 0', (flag) => {
  const result = run(flag, '--base-url', 'http://127.0.0.1:9');
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('Usage: npm run smoke -- [options]');
  expect(result.stdout).toContain('--base-url URL');
  expect(result.stdout).not.toContain('Smoke testing');
});

it('prints the usage with the error on an unknown option, and exits 2', () => {
  const result = run('--bogus');
  expect(result.status).toBe(2);
  expect(result.stderr).toContain("Unknown option '--bogus'");
  expect(result.stderr).toContain('Usage: npm run smoke -- [options]');
});
