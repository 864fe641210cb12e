// IAM policy statements from both ways this codebase writes policies: `aws_iam_policy_document`
// data sources (statement blocks, dynamic ones too) and `jsonencode({ Statement = [...] })`
// expressions anywhere in a module. Each statement keeps the lines its resources and actions are
// written on, for findings and exception annotations.
import { jsonencodeArgument, stringsIn } from './expressions.ts';
import type { HclObject, HclValue, TfFile } from './hcl-files.ts';
import { blockList, isHclObject } from './hcl-files.ts';
import type { TerraformModule } from './module-model.ts';
import type { LineRange, PathStep } from './source-map.ts';

export interface PolicyStatement {
  /** `data.aws_iam_policy_document.x statement #1` or `aws_iam_role_policy.x policy statement #2`. */
  label: string;
  file: TfFile;
  effect: string;
  actions: string[];
  resources: string[];
  hasPrincipal: boolean;
  conditions: { variable: string; values: string[] }[];
  actionsLine?: number;
  resourcesLine?: number;
}

export async function collectStatements(module: TerraformModule): Promise<PolicyStatement[]> {
  const statements: PolicyStatement[] = [];
  for (const data of module.dataSources) {
    if (data.type !== 'aws_iam_policy_document') continue;
    const sources: { body: HclObject; path: PathStep[] }[] = blockList(data.body.statement).map(
      (body, occurrence) => ({ body, path: [{ name: 'statement', occurrence }] }),
    );
    const dynamic = isHclObject(data.body.dynamic) ? data.body.dynamic : {};
    blockList(dynamic.statement).forEach((block, occurrence) => {
      for (const body of blockList(block.content)) {
        sources.push({
          body,
          path: [{ name: 'statement', dynamic: true, occurrence }, { name: 'content' }],
        });
      }
    });
    sources.forEach(({ body, path }, index) => {
      const range = data.range ? data.file.source.locate(data.range, path) : undefined;
      const lineOf = (name: string): number | undefined =>
        range ? (data.file.source.locate(range, [{ name }])?.start ?? range.start) : undefined;
      const dynamicBlocks = isHclObject(body.dynamic) ? body.dynamic : {};
      const conditionBodies = [
        ...blockList(body.condition),
        ...blockList(dynamicBlocks.condition).flatMap((d) => blockList(d.content)),
      ];
      statements.push({
        label: `data.aws_iam_policy_document.${data.name} statement #${index + 1}`,
        file: data.file,
        effect: typeof body.effect === 'string' ? body.effect : 'Allow',
        actions: strings(body.actions),
        resources: strings(body.resources),
        hasPrincipal: 'principals' in body || 'principals' in dynamicBlocks,
        conditions: conditionBodies.map((condition) => ({
          variable: typeof condition.variable === 'string' ? condition.variable : '',
          values: strings(condition.values),
        })),
        actionsLine: lineOf(body.not_actions !== undefined ? 'not_actions' : 'actions'),
        resourcesLine: lineOf(body.not_resources !== undefined ? 'not_resources' : 'resources'),
      });
    });
  }
  const declarations = [...module.resources, ...module.dataSources, ...module.outputs];
  for (const declaration of declarations) {
    for (const [key, value] of Object.entries(declaration.body)) {
      const range = declaration.range
        ? declaration.file.source.locate(declaration.range, [{ name: key }])
        : undefined;
      const label = `${declaration.kind === 'data' ? 'data.' : ''}${declaration.type}.${declaration.name} ${key}`;
      for (const text of stringsIn(value)) {
        statements.push(...(await jsonStatements(text.value, label, declaration.file, range)));
      }
    }
  }
  for (const local of module.locals) {
    statements.push(
      ...(await jsonStatements(local.value, `local.${local.name}`, local.file, local.range)),
    );
  }
  return statements;
}

async function jsonStatements(
  value: HclValue,
  label: string,
  file: TfFile,
  range: LineRange | undefined,
): Promise<PolicyStatement[]> {
  const document = await jsonencodeArgument(value);
  if (!isHclObject(document) || !('Statement' in document)) return [];
  const raw = document.Statement;
  const bodies = Array.isArray(raw) ? raw.filter(isHclObject) : isHclObject(raw) ? [raw] : [];
  const keyLines = (pattern: RegExp): number[] => {
    if (!range) return [];
    const lines: number[] = [];
    for (let n = range.start; n <= range.end; n += 1) {
      if (pattern.test(file.source.line(n))) lines.push(n);
    }
    return lines;
  };
  const resourceLines = keyLines(/(^|[\s{,])"?(Not)?Resource"?\s*[=:]/);
  const actionLines = keyLines(/(^|[\s{,])"?(Not)?Action"?\s*[=:]/);
  return bodies.map((body, index) => ({
    label: `${label} statement #${index + 1}`,
    file,
    effect: typeof body.Effect === 'string' ? body.Effect : 'Allow',
    actions: strings(body.Action),
    resources: strings(body.Resource),
    hasPrincipal: 'Principal' in body || 'NotPrincipal' in body,
    conditions: conditionsOf(body.Condition),
    actionsLine: actionLines[index] ?? range?.start,
    resourcesLine: resourceLines[index] ?? range?.start,
  }));
}

function conditionsOf(value: HclValue | undefined): { variable: string; values: string[] }[] {
  if (!isHclObject(value)) return [];
  return Object.values(value)
    .filter(isHclObject)
    .flatMap((byVariable) =>
      Object.entries(byVariable).map(([variable, values]) => ({
        variable,
        values: strings(values),
      })),
    );
}

/** Literal strings of a string-or-list value; an expression is kept as its `${...}` text. */
function strings(value: HclValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}
