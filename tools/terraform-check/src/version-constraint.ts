// Terraform version constraints (`>= 6.21, < 7.0`, `~> 6.0`, `= 6.66.0`, `!= 6.1.0`).

function parts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split('-')[0]
    .split('.')
    .map((part) => Number(part));
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length, 3); i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Whether `version` satisfies every comma-separated clause; throws on a malformed clause. */
export function satisfies(version: string, constraint: string): boolean {
  const v = parts(version);
  return constraint.split(',').every((clause) => {
    const match = /^\s*(>=|<=|~>|!=|>|<|=)?\s*v?(\d+(?:\.\d+){0,2})\s*$/.exec(clause);
    if (!match) throw new Error(`malformed version constraint clause "${clause.trim()}"`);
    const operator = match[1] ?? '=';
    const bound = parts(match[2]);
    const order = compare(v, bound);
    switch (operator) {
      case '>=':
        return order >= 0;
      case '>':
        return order > 0;
      case '<=':
        return order <= 0;
      case '<':
        return order < 0;
      case '!=':
        return order !== 0;
      case '~>': {
        // ~> 6.2 allows 6.x >= 6.2; ~> 6.2.1 allows 6.2.x >= 6.2.1
        const prefix = bound.slice(0, Math.max(1, bound.length - 1));
        return order >= 0 && prefix.every((part, index) => v[index] === part);
      }
      default:
        return order === 0;
    }
  });
}
