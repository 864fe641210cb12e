// hcl2json returns no positions, so findings are placed by scanning the source text: brace depth
// per line (outside strings, comments and heredocs), top-level block ranges, and nested lookup.

export interface LineRange {
  /** 1-based, inclusive. */
  start: number;
  end: number;
  /** Brace depth inside the range's block body. */
  depth: number;
}

export interface TopLevelBlock extends LineRange {
  keyword: string;
  labels: string[];
}

/** One step of a path inside a block: a nested block or argument name and which occurrence. */
export interface PathStep {
  name: string;
  /** `dynamic "name"` header instead of `name {` / `name =`. */
  dynamic?: boolean;
  occurrence?: number;
}

export class SourceMap {
  readonly lines: string[];
  /** depthAt[i] = brace depth at the start of 1-based line i (index 0 unused). */
  private readonly depthAt: number[];
  readonly blocks: TopLevelBlock[];

  constructor(text: string) {
    this.lines = text.split(/\r?\n/);
    this.depthAt = computeLineDepths(this.lines);
    this.blocks = this.findTopLevelBlocks();
  }

  line(n: number): string {
    return this.lines[n - 1] ?? '';
  }

  findBlock(keyword: string, labels: string[]): TopLevelBlock | undefined {
    return this.blocks.find(
      (block) =>
        block.keyword === keyword && labels.every((label, index) => block.labels[index] === label),
    );
  }

  /** The line of a nested argument/block reached by `path` from `range`, or undefined. */
  locate(range: LineRange, path: PathStep[]): LineRange | undefined {
    let current: LineRange = range;
    for (const step of path) {
      const next = this.findChild(current, step);
      if (!next) return undefined;
      current = next;
    }
    return current;
  }

  private findChild(range: LineRange, step: PathStep): LineRange | undefined {
    const name = escapeRegExp(step.name);
    const pattern = step.dynamic
      ? new RegExp(`^\\s*dynamic\\s+"${name}"\\s*\\{`)
      : new RegExp(`^\\s*"?${name}"?\\s*(=(?!=)|\\{)`);
    let seen = 0;
    for (let n = range.start + (range.start === range.end ? 0 : 1); n <= range.end; n += 1) {
      if (this.depthAt[n] !== range.depth || !pattern.test(this.line(n))) continue;
      if (seen === (step.occurrence ?? 0)) {
        return { start: n, end: this.endOfStatement(n), depth: range.depth + 1 };
      }
      seen += 1;
    }
    return undefined;
  }

  /** Last line of the statement starting at line n (where depth returns to n's depth). */
  private endOfStatement(n: number): number {
    const base = this.depthAt[n];
    let end = n;
    while (end < this.lines.length && (this.depthAt[end + 1] ?? base) > base) end += 1;
    return end;
  }

  private findTopLevelBlocks(): TopLevelBlock[] {
    const blocks: TopLevelBlock[] = [];
    const header = /^([A-Za-z_][\w-]*)((?:\s+(?:"[^"]*"|[A-Za-z_][\w-]*))*)\s*\{/;
    for (let n = 1; n <= this.lines.length; n += 1) {
      if (this.depthAt[n] !== 0) continue;
      const match = header.exec(this.line(n));
      if (!match) continue;
      const labels = [...match[2].matchAll(/"([^"]*)"|([A-Za-z_][\w-]*)/g)].map(
        (label) => label[1] ?? label[2],
      );
      blocks.push({ keyword: match[1], labels, start: n, end: this.endOfStatement(n), depth: 1 });
    }
    return blocks;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Brace/bracket/paren depth at the start of each line. Strings (with their `${...}` / `%{...}`
 * template parts, which may hold strings and braces of their own), comments and heredocs do not
 * count.
 */
function computeLineDepths(lines: string[]): number[] {
  const depths = [0];
  let depth = 0;
  let inBlockComment = false;
  let heredocEnd: string | undefined;
  // Innermost last: a quoted string, or a template interpolation with its own brace count.
  const stack: ({ kind: 'string' } | { kind: 'template'; braces: number })[] = [];
  for (const line of lines) {
    depths.push(depth);
    if (heredocEnd !== undefined) {
      if (line.trim() === heredocEnd) heredocEnd = undefined;
      continue;
    }
    let i = 0;
    while (i < line.length) {
      const ch = line[i];
      const next = line[i + 1];
      const top = stack[stack.length - 1];
      if (inBlockComment) {
        if (ch === '*' && next === '/') {
          inBlockComment = false;
          i += 1;
        }
      } else if (top?.kind === 'string') {
        if (ch === '\\') i += 1;
        else if (ch === '"') stack.pop();
        else if ((ch === '$' || ch === '%') && next === '{') {
          stack.push({ kind: 'template', braces: 0 });
          i += 1;
        }
      } else if (ch === '#' || (ch === '/' && next === '/')) {
        break;
      } else if (ch === '/' && next === '*') {
        inBlockComment = true;
        i += 1;
      } else if (ch === '"') {
        stack.push({ kind: 'string' });
      } else if (top?.kind === 'template') {
        if (ch === '{') top.braces += 1;
        else if (ch === '}' && top.braces === 0) stack.pop();
        else if (ch === '}') top.braces -= 1;
      } else if (ch === '<' && next === '<' && /^<<-?[A-Za-z_]\w*\s*$/.test(line.slice(i))) {
        heredocEnd = /^<<-?([A-Za-z_]\w*)/.exec(line.slice(i))?.[1];
        break;
      } else if (ch === '{' || ch === '[' || ch === '(') {
        depth += 1;
      } else if (ch === '}' || ch === ']' || ch === ')') {
        depth -= 1;
      }
      i += 1;
    }
  }
  return depths;
}
