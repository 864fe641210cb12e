// The committed action bundles are what a runner executes (a workflow runs dist/, not src/):
// each must be exactly what `npm run bundle` builds from the sources, and each must start under
// plain Node the way the runner starts it (INPUT_* variables) and fail naming a bad input before
// it touches AWS or GitHub.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const actionsDir = path.join(root, 'actions');
const actionNames = readdirSync(actionsDir).filter((name) =>
  existsSync(path.join(actionsDir, name, 'action.yml')),
);

function runNode(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
}

/** The environment of a step: nothing from GitHub Actions but the given inputs. */
function stepEnv(inputs: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('INPUT_') && !key.startsWith('GITHUB_') && key !== 'RUNNER_TEMP',
    ),
  );
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return env;
}

function runBundle(name: string, inputs: Record<string, string> = {}) {
  return runNode([path.join('actions', name, 'dist', 'index.js')], stepEnv(inputs));
}

describe('committed action bundles', () => {
  let outDir: string;

  beforeAll(() => {
    outDir = mkdtempSync(path.join(tmpdir(), 'bundle-actions-'));
    const result = runNode(['scripts/bundle-actions.ts', '--out-dir', outDir], process.env);
    if (result.status !== 0) throw new Error(`bundling failed:\n${result.stderr}`);
  });

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('finds the actions', () => {
    expect(actionNames).toEqual(expect.arrayContaining(['deploy', 'rollback', 'smoke-test']));
  });

  it.each(actionNames)('%s: dist/index.js matches a fresh build', (name) => {
    const fresh = readFileSync(path.join(outDir, name, 'dist', 'index.js'), 'utf8');
    const committedPath = path.join(actionsDir, name, 'dist', 'index.js');
    const committed = existsSync(committedPath) ? readFileSync(committedPath, 'utf8') : '';
    if (committed !== fresh) {
      throw new Error(
        `actions/${name}/dist/index.js is stale: run npm run bundle and commit dist/ ` +
          `(committed ${committed.length} chars, fresh build ${fresh.length} chars)`,
      );
    }
  });

  it('builds the same bytes twice (deterministic)', () => {
    const again = mkdtempSync(path.join(tmpdir(), 'bundle-actions-'));
    try {
      const result = runNode(['scripts/bundle-actions.ts', '--out-dir', again], process.env);
      expect(result.status).toBe(0);
      for (const name of actionNames) {
        const file = path.join(name, 'dist', 'index.js');
        expect(readFileSync(path.join(again, file), 'utf8')).toBe(
          readFileSync(path.join(outDir, file), 'utf8'),
        );
      }
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });
});

describe('bundles start under plain Node', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['build-image', {}, "::error::Input 'repository' is required"],
    ['plan-comment', {}, "::error::Input 'environment' is required"],
    ['smoke-test', {}, "::error::Input 'base-url' is required"],
    ['deploy-report', {}, '::error::Input required and not supplied: needs'],
    [
      'deploy',
      { cluster: 'notify-staging', service: 'notify-staging-api', 'aws-region': 'eu-west-1' },
      "::error::Input 'image' is required but was not given",
    ],
    [
      'deploy',
      {
        cluster: 'notify-staging',
        service: 'notify-staging-api',
        'aws-region': 'eu-west-1',
        image: 'notify-api:latest',
      },
      "::error::Input 'image' must be a full image URI",
    ],
    [
      'rollback',
      { 'aws-region': 'eu-west-1', service: 'notify-production-api' },
      "::error::Input 'cluster' is required but was not given",
    ],
  ];

  it('deploy-report writes the report from the records to the job summary and the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deploy-report-'));
    try {
      const records = path.join(dir, 'records');
      mkdirSync(records);
      writeFileSync(
        path.join(records, 'deploy-record-staging.json'),
        JSON.stringify({
          version: 1,
          name: 'staging',
          environment: 'staging',
          region: 'us-east-1',
          startedAt: '2026-11-22T10:00:00Z',
          finishedAt: '2026-11-22T10:06:12Z',
          jobStatus: 'success',
          delivery: {},
          steps: {},
        }),
      );
      const summary = path.join(dir, 'summary.md');
      writeFileSync(summary, '');
      writeFileSync(path.join(dir, 'output'), '');
      const env = {
        ...stepEnv({
          'records-directory': records,
          needs: JSON.stringify({ 'deploy-staging': { result: 'success' } }),
          'report-file': path.join(dir, 'report.md'),
        }),
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: path.join(dir, 'output'),
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/notify',
        GITHUB_RUN_ID: '42',
        GITHUB_SHA: 'abcdef1234567890abcdef1234567890abcdef12',
      };
      const result = runNode([path.join('actions', 'deploy-report', 'dist', 'index.js')], env);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(readFileSync(summary, 'utf8')).toContain('| staging | us-east-1 | ✅ success |');
      expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toBe(readFileSync(summary, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(cases)('%s with %j fails cleanly: %s', (name, inputs, message) => {
    const result = runBundle(name, inputs);
    expect(result.stderr).not.toMatch(/SyntaxError|ReferenceError|Cannot find module/);
    expect(result.stdout).toContain(message);
    expect(result.status).toBe(1);
  });
});
