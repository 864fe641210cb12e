// CKV_AWS_358: a GitHub OIDC trust pins `sub` to this repository (no wildcard owner or repo).
import { isExpression } from '../../expressions.ts';
import type { TerraformModule } from '../../module-model.ts';
import type { PolicyRule } from '../rule.ts';

export const oidcPinnedSubject: PolicyRule = {
  id: 'CKV_AWS_358',
  description:
    'Web-identity trust pins token.actions.githubusercontent.com:sub to repo:<owner>/<repo>:... values.',
  check({ module, statements }) {
    return statements.flatMap((statement) => {
      if (statement.effect !== 'Allow') return [];
      if (!statement.actions.some((action) => /^sts:AssumeRoleWithWebIdentity$/i.test(action))) {
        return [];
      }
      const sub = statement.conditions.filter((condition) => condition.variable.endsWith(':sub'));
      const pinned =
        sub.length > 0 &&
        sub.every((condition) => {
          const values = condition.values.flatMap((value) => expandLocals(value, module, 0));
          return values.length > 0 && values.every(isPinnedSubject);
        });
      if (pinned) return [];
      return [
        {
          file: statement.file,
          line: statement.actionsLine,
          message:
            `${statement.label}: web-identity trust must pin "token.actions.githubusercontent.com:sub" ` +
            'to `repo:<owner>/<repo>:...` values',
        },
      ];
    });
  },
};

/** `repo:<owner>/<repo>:...` with no wildcard in owner or repository (a variable is fine). */
function isPinnedSubject(value: string): boolean {
  const match = /^repo:([^:]+):\S/.exec(value);
  return (
    match !== null && !match[1].includes('*') && (match[1].includes('/') || match[1].includes('${'))
  );
}

/** Follows `local.x` references in a condition value to the strings they hold (bounded depth). */
function expandLocals(value: string, module: TerraformModule, depth: number): string[] {
  if (!isExpression(value) || depth > 4) return [value];
  const names = [...value.matchAll(/\blocal\.([\w-]+)/g)].map((match) => match[1]);
  const whole = /^\$\{local\.[\w-]+\}$/.test(value);
  if (names.length === 0 || (!whole && !/^\$\{[^"]*\}$/.test(value))) return [value];
  return names.flatMap((name) => {
    const local = module.locals.find((l) => l.name === name);
    if (!local) return [value];
    const held = Array.isArray(local.value) ? local.value : [local.value];
    return held.flatMap((item) =>
      typeof item === 'string' ? expandLocals(item, module, depth + 1) : [],
    );
  });
}
