// The committed action bundles must be exactly what `npm run bundle` builds from the sources
// (a workflow runs dist/, not src/), and each bundle must start under plain Node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const actionsDir = path.join(root, 'actions');
const actionNames = readdirSync(actionsDir).filter((name) =>
  existsSync(path.join(actionsDir, name, 'action.yml')),
);

function runNode(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
}

/** The environment of a step without inputs: no INPUT_* and nothing from GitHub Actions. */
function bareEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('INPUT_') && !key.startsWith('GITHUB_') && key !== 'RUNNER_TEMP',
    ),
  );
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
    expect(actionNames).toEqual(expect.arrayContaining(['smoke-test']));
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
  // The first required input each action reads; without INPUT_* it must fail naming it.
  const firstRequiredInput: Record<string, string> = {
    'build-image': 'repository',
    'plan-comment': 'environment',
    'smoke-test': 'base-url',
  };

  it.each(Object.entries(firstRequiredInput))(
    '%s fails cleanly naming the missing input %s',
    (name, input) => {
      const result = runNode([path.join('actions', name, 'dist', 'index.js')], bareEnv());
      expect(result.stderr).not.toMatch(/SyntaxError|ReferenceError|Cannot find module/);
      expect(result.stdout).toContain(`::error::Input '${input}' is required`);
      expect(result.status).toBe(1);
    },
  );
});
