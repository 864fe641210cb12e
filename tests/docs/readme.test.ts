// The READMEs are part of the product: every environment variable a service reads is documented
// in its README's configuration table, the front README stays a front door, and every relative
// link in the Markdown files points at a file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = process.cwd();

/** Variable names declared in a service's zod config schema (`  NAME: ...` inside z.object). */
function configVariables(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
}

/** A `## heading` section of a Markdown file, up to the next `## ` heading. */
function section(file: string, heading: string): string {
  const markdown = readFileSync(join(root, file), 'utf8');
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${file} has no "${heading}" section`);
  const next = markdown.indexOf('\n## ', start + heading.length + 1);
  return markdown.slice(start, next < 0 ? undefined : next);
}

describe('service configuration references', () => {
  it.each(['notification-api', 'email-sender'])(
    'services/%s/README.md documents every variable the service reads',
    (service) => {
      const variables = configVariables(`services/${service}/src/config.ts`);
      expect(variables.length).toBeGreaterThan(10);
      const table = section(`services/${service}/README.md`, '## Configuration');
      const missing = variables.filter((name) => !table.includes(`\`${name}\``));
      expect(missing).toEqual([]);
    },
  );
});

describe('the front README', () => {
  it('stays a front door: under 12 KB, the reference lives with the code', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(Buffer.byteLength(readme)).toBeLessThan(12 * 1024);
    expect(readme).not.toMatch(/^## (API reference|Configuration)$/m);
  });
});

function markdownFiles(dir: string): string[] {
  const skip = new Set(['node_modules', '.git', 'dist', 'fixtures', '.tmp']);
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skip.has(entry.name) ? [] : markdownFiles(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

describe('Markdown links', () => {
  it('point at files and folders that exist', () => {
    const broken: string[] = [];
    for (const file of markdownFiles('.')) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/i.test(target)) continue;
        if (!existsSync(join(root, dirname(file), target))) broken.push(`${file}: ${match[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
