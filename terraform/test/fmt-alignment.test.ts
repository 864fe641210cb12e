// `terraform fmt -check` runs only in GitHub CI (no terraform binary here). Its most common diff
// in handwritten code is the alignment of `=` in consecutive attributes, which this test checks
// the way hclwrite's formatter does (hashicorp/hcl, hclwrite/format.go, formatCells): a "chain"
// is a run of consecutive lines that each assign a complete single-line expression; a blank line,
// a comment-only line or a line that opens a multi-line value ends it; within a chain every `=`
// sits one space after the longest name.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { terraformDir } from './hcl-module.ts';

function tfFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : tfFiles(path);
    return entry.name.endsWith('.tf') ? [path] : [];
  });
}

const ASSIGN = /^(\s*)([A-Za-z_][\w-]*|"[^"]*")(\s*)=(?!=)(.*)$/;

function netBrackets(rhs: string): number {
  const code = rhs.replace(/"(\\.|[^"\\])*"/g, '""').split('#')[0]!;
  let net = 0;
  for (const c of code) {
    if ('{[('.includes(c)) net++;
    if ('}])'.includes(c)) net--;
  }
  return net;
}

/** Lines (1-based) whose `=` is not where `terraform fmt` puts it. */
export function misalignedLines(source: string): number[] {
  const lines = source.split('\n');
  const bad: number[] = [];
  let chain: { line: number; nameEnd: number; equals: number }[] = [];
  const close = () => {
    const width = Math.max(...chain.map((c) => c.nameEnd));
    for (const c of chain) if (c.equals !== width + 1) bad.push(c.line);
    chain = [];
  };
  let heredoc: string | undefined;
  lines.forEach((text, i) => {
    if (heredoc !== undefined) {
      if (text.trim() === heredoc) heredoc = undefined;
      return;
    }
    const opens = /<<-?(\w+)\s*$/.exec(text);
    const match = ASSIGN.exec(text);
    if (opens === null && match !== null && netBrackets(match[4]!) === 0) {
      const nameEnd = match[1]!.length + match[2]!.length;
      chain.push({ line: i + 1, nameEnd, equals: nameEnd + match[3]!.length });
      return;
    }
    if (chain.length > 0) close();
    if (opens !== null) heredoc = opens[1];
  });
  if (chain.length > 0) close();
  return bad;
}

describe('terraform fmt alignment', () => {
  it('finds what fmt would move, and nothing else', () => {
    const sample = [
      'resource "x" "y" {',
      '  name = "a"',
      '  description        = "b"',
      '  # a comment ends the chain',
      '  max_session_duration = 1',
      '  tags = {',
      '    Environment = "staging"',
      '  }',
      '  policy = <<EOT',
      '  not   = "checked"',
      'EOT',
      '}',
    ].join('\n');
    expect(misalignedLines(sample)).toEqual([2, 3]);
  });

  it.each(tfFiles(terraformDir).map((f) => [relative(terraformDir, f), f]))(
    '%s is aligned as terraform fmt aligns it',
    (_name, file) => {
      expect(misalignedLines(readFileSync(file, 'utf8'))).toEqual([]);
    },
  );
});
