// Code that two places repeat drifts apart: deploy and rollback share one engine
// (actions/deploy/src), and the service images are built from one parametrised Dockerfile.
// This fails when six or more identical lines are written again across those borders.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const RUN = 6;

interface Line {
  file: string;
  number: number;
  text: string;
}

/**
 * The lines that carry meaning, white space folded: no blank lines, comments, lone punctuation
 * (`});`) or import statements, which repeat by nature and say nothing about shared logic.
 */
function significantLines(file: string, source: string, comment: RegExp): Line[] {
  const lines: Line[] = [];
  let inImport = false;
  source.split('\n').forEach((raw, index) => {
    const text = raw.trim().replace(/\s+/g, ' ');
    if (inImport) {
      inImport = !text.endsWith(';');
      return;
    }
    if (/^import\b/.test(text)) {
      inImport = !text.endsWith(';');
      return;
    }
    if (text === '' || comment.test(text) || /^[\s{}()[\];,]*$/.test(text)) return;
    lines.push({ file, number: index + 1, text });
  });
  return lines;
}

/** Every run of RUN identical significant lines that stands in both groups, as `a ~ b`. */
function sharedRuns(left: Line[][], right: Line[][]): string[] {
  const seen = new Map<string, Line>();
  for (const lines of left) {
    for (let i = 0; i + RUN <= lines.length; i += 1) {
      const key = lines
        .slice(i, i + RUN)
        .map((line) => line.text)
        .join('\n');
      if (!seen.has(key)) seen.set(key, lines[i]);
    }
  }
  const found: string[] = [];
  for (const lines of right) {
    for (let i = 0; i + RUN <= lines.length; i += 1) {
      const window = lines.slice(i, i + RUN);
      const first = seen.get(window.map((line) => line.text).join('\n'));
      if (first) {
        found.push(
          `${first.file}:${first.number} ~ ${window[0].file}:${window[0].number}-${window[RUN - 1].number}`,
        );
      }
    }
  }
  return found;
}

const tsComment = /^(\/\/|\/\*|\*)/;
const dockerComment = /^#/;

function read(path: string, comment: RegExp): Line[] {
  return significantLines(relative(root, path), readFileSync(path, 'utf8'), comment);
}

function filesBelow(dir: string, wanted: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && wanted(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !path.includes('/node_modules/'));
}

describe('the shared-lines check', () => {
  const copy = ['const a = 1;', 'const b = 2;', 'call(a);', 'call(b);', 'log(a, b);', 'end();'];

  it('finds six identical lines standing in two files, whatever the indentation', () => {
    const left = significantLines('a.ts', ['// a', ...copy].join('\n'), tsComment);
    const right = significantLines(
      'b.ts',
      ['x();', ...copy.map((l) => `    ${l}`)].join('\n'),
      tsComment,
    );
    expect(sharedRuns([left], [right])).toEqual(['a.ts:2 ~ b.ts:2-7']);
  });

  it('ignores five shared lines, comments, imports and lone braces', () => {
    const left = significantLines(
      'a.ts',
      ["import {\n  x,\n} from 'y';", ...copy.slice(0, 5), '}', '// same'].join('\n'),
      tsComment,
    );
    const right = significantLines(
      'b.ts',
      ["import {\n  x,\n} from 'y';", ...copy.slice(0, 5), '}', '// same', 'other();'].join('\n'),
      tsComment,
    );
    expect(sharedRuns([left], [right])).toEqual([]);
  });
});

describe('no run of six identical lines is shared', () => {
  it('between actions/deploy/src and actions/rollback/src', () => {
    const sources = (dir: string) =>
      filesBelow(join(root, dir), (name) => name.endsWith('.ts')).map((path) =>
        read(path, tsComment),
      );
    expect(sharedRuns(sources('actions/deploy/src'), sources('actions/rollback/src'))).toEqual([]);
  });

  it('between any two Dockerfiles of the services', () => {
    const dockerfiles = filesBelow(
      join(root, 'services'),
      (name) => name === 'Dockerfile' || name.endsWith('.Dockerfile'),
    );
    expect(dockerfiles.length).toBeGreaterThan(0);
    const shared = dockerfiles.flatMap((path, index) =>
      dockerfiles
        .slice(index + 1)
        .flatMap((other) => sharedRuns([read(path, dockerComment)], [read(other, dockerComment)])),
    );
    expect(shared).toEqual([]);
  });
});
