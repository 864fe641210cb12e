// Every workspace package points only at files that exist: a `main` that names a missing file
// fails only when somebody finally imports the package by name, far from the mistake.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = process.cwd();
const workspaces = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces: string[];
  }
).workspaces;

interface PackageJson {
  name: string;
  main?: string;
  exports?: unknown;
  bin?: string | Record<string, string>;
}

/** Every file path a package.json names as an entry point. */
function entryPoints(pkg: PackageJson): string[] {
  const paths: string[] = [];
  if (pkg.main) paths.push(pkg.main);
  const walk = (value: unknown): void => {
    if (typeof value === 'string') paths.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.bin);
  return paths;
}

describe.each(workspaces)('workspace %s', (workspace) => {
  const file = join(root, workspace, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;

  it('names only entry points that exist', () => {
    const missing = entryPoints(pkg).filter((p) => !existsSync(join(dirname(file), p)));
    expect(missing).toEqual([]);
  });
});

describe.each(workspaces.filter((w) => w.startsWith('services/') && w !== 'services/shared'))(
  'service %s',
  (workspace) => {
    it('has no entry point: it is started by path (node src/main.ts), never imported by name', () => {
      const pkg = JSON.parse(
        readFileSync(join(root, workspace, 'package.json'), 'utf8'),
      ) as PackageJson;
      expect(entryPoints(pkg)).toEqual([]);
    });
  },
);
