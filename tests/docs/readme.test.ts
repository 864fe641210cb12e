// The README is part of the product: every environment variable a service reads is documented
// in its configuration table, and every relative link in the Markdown files points at a file.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = process.cwd();
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** Variable names declared in a service's zod config schema (`  NAME: ...` inside z.object). */
function configVariables(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
}

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(heading);
  if (start < 0) throw new Error(`README has no "${heading}" section`);
  const next = markdown.indexOf('\n### ', start + heading.length);
  return markdown.slice(start, next < 0 ? undefined : next);
}

describe('README configuration reference', () => {
  it.each([
    ['notification-api', 'services/notification-api/src/config.ts'],
    ['email-sender', 'services/email-sender/src/config.ts'],
  ])('documents every variable %s reads', (service, configFile) => {
    const variables = configVariables(configFile);
    expect(variables.length).toBeGreaterThan(10);
    const table = section(readme, `### ${service}`);
    const missing = variables.filter((name) => !table.includes(`\`${name}\``));
    expect(missing).toEqual([]);
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
