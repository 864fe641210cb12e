// Module wiring and references: module calls pass exactly the variables the called module
// declares (all required ones included), `module.X.Y` names a declared output, and every
// var./local./data./resource reference resolves inside its own module.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isExpression, referencesIn, stringsIn } from './expressions.ts';
import type { Finding } from './findings.ts';
import type { HclObject, HclValue } from './hcl-files.ts';
import { blockList, isHclObject } from './hcl-files.ts';
import type { Declaration, TerraformModule } from './module-model.ts';
import type { ProviderSchemaSnapshot } from './schema.ts';
import type { LineRange } from './source-map.ts';

const MODULE_CALL_META = new Set([
  'source',
  'version',
  'providers',
  'count',
  'for_each',
  'depends_on',
]);
// Roots that are not declarations: iteration, object self, paths, workspace, provider functions.
const BUILTIN_ROOTS = new Set(['each', 'count', 'self', 'path', 'terraform', 'provider']);
// Keys whose values are not ordinary expressions (provider references, attribute names).
const NON_EXPRESSION_KEYS = new Set(['provider', 'providers', 'ignore_changes', 'source']);

export async function checkReferences(
  module: TerraformModule,
  modulesByDir: Map<string, TerraformModule>,
  snapshot: ProviderSchemaSnapshot,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  const variables = new Set(module.variables.map((v) => v.name));
  const locals = new Set(module.locals.map((l) => l.name));
  const resources = new Map(module.resources.map((r) => [`${r.type}.${r.name}`, r]));
  const dataSources = new Map(module.dataSources.map((d) => [`${d.type}.${d.name}`, d]));
  const calls = new Map(module.moduleCalls.map((call) => [call.name, call]));

  let currentRoots = new Set<string>();
  const checkValue = async (
    value: HclValue,
    where: { file: Declaration['file']; range?: LineRange },
  ): Promise<void> => {
    for (const { path, value: text } of stringsIn(value)) {
      if (path.some((key) => NON_EXPRESSION_KEYS.has(key))) continue;
      for (const reference of await referencesIn(text)) {
        const problem = resolveReference(reference.split('.'));
        if (!problem) continue;
        findings.push({
          file: where.file.path,
          line: lineContaining(where.file, where.range, referenceText(reference)),
          check: 'references',
          message: problem,
        });
      }
    }
  };

  const resolveReference = (segments: string[]): string | undefined => {
    const [root, first, second, third] = segments;
    const reference = segments.join('.');
    if (BUILTIN_ROOTS.has(root) || currentRoots.has(root)) return undefined;
    switch (root) {
      case 'var':
        return variables.has(first)
          ? undefined
          : `var.${first} is not a declared variable of ${module.path}`;
      case 'local':
        return locals.has(first) ? undefined : `local.${first} is not defined in ${module.path}`;
      case 'data': {
        const declaration = dataSources.get(`${first}.${second}`);
        if (!declaration) return `data.${first}.${second} is not declared in ${module.path}`;
        return unknownAttribute(
          `data.${first}.${second}`,
          declaration,
          segments.slice(3),
          snapshot.dataSources,
        );
      }
      case 'module': {
        const call = calls.get(first);
        if (!call) return `module.${first} is not a module call in ${module.path}`;
        const target = calledModule(call, module, modulesByDir);
        if (!target || second === undefined) return undefined;
        const outputs = new Set(target.outputs.map((o) => o.name));
        const iterated = 'count' in call.body || 'for_each' in call.body;
        const output = iterated && !outputs.has(second) ? third : second;
        if (output === undefined || outputs.has(output)) return undefined;
        return `module.${first}.${output}: module "${first}" (${target.path}) has no output "${output}"`;
      }
      default:
        if (/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(root) && first !== undefined) {
          const declaration = resources.get(`${root}.${first}`);
          if (!declaration) return `${root}.${first} is not a resource declared in ${module.path}`;
          return unknownAttribute(
            `${root}.${first}`,
            declaration,
            segments.slice(2),
            snapshot.resources,
          );
        }
        return `unknown reference "${reference}"`;
    }
  };

  const declarations = [
    ...module.resources,
    ...module.dataSources,
    ...module.variables,
    ...module.outputs,
    ...module.moduleCalls,
    ...module.providers,
  ];
  for (const declaration of declarations) {
    currentRoots = iteratorNames(declaration.body);
    // A variable's `type` is a type expression (`string`, `map(object({...}))`), not references.
    const { type: _type, ...rest } = declaration.body;
    const body = declaration.kind === 'variable' ? rest : declaration.body;
    await checkValue(body, declaration);
  }
  currentRoots = new Set();
  for (const local of module.locals) await checkValue(local.value, local);
  for (const call of module.moduleCalls)
    findings.push(...checkModuleCall(call, module, modulesByDir));
  return findings;
}

/** `aws_lb.this.dns` -> "has no attribute" (what `terraform validate` calls Unsupported attribute). */
function unknownAttribute(
  address: string,
  declaration: Declaration,
  rest: string[],
  schemas: ProviderSchemaSnapshot['resources'],
): string | undefined {
  const schema = schemas[declaration.type];
  if (!schema) return undefined; // unknown types are reported by the schema check
  const iterated = 'count' in declaration.body || 'for_each' in declaration.body;
  // With count/for_each the next step is the instance key: `.0`, `."name"`, or (dropped) `[each.key]`.
  let attribute: string | undefined = rest[0];
  if (iterated)
    attribute = rest[0] !== undefined && /^(\d+|".*")$/.test(rest[0]) ? rest[1] : undefined;
  if (attribute === undefined) return undefined;
  const names = [
    ...Object.keys(schema.arguments),
    ...Object.keys(schema.blocks),
    ...(schema.computed ?? []),
  ];
  if (attribute === 'id' || names.includes(attribute)) return undefined;
  // Computed names were converted from camelCase getters, which is ambiguous around digits
  // (`tls12` vs `tls_1_2`): those alone are compared without underscores.
  const loose = (name: string): string => name.replace(/_/g, '');
  const ambiguous = (schema.computed ?? []).filter((name) => /\d/.test(name));
  if (ambiguous.some((name) => loose(name) === loose(attribute))) return undefined;
  return `${address}.${attribute}: ${declaration.type} has no attribute "${attribute}"`;
}

/** Dynamic block iterators (`load_balancer.value` or the `iterator` name) usable as roots. */
function iteratorNames(body: HclObject): Set<string> {
  const names = new Set<string>();
  const visit = (value: HclValue): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isHclObject(value)) {
      if (isHclObject(value.dynamic)) {
        for (const [name, dynamics] of Object.entries(value.dynamic)) {
          for (const dynamic of blockList(dynamics)) {
            const iterator =
              typeof dynamic.iterator === 'string'
                ? dynamic.iterator.replace(/^\$\{|\}$/g, '')
                : name;
            names.add(iterator);
          }
        }
      }
      Object.values(value).forEach(visit);
    }
  };
  visit(body);
  return names;
}

function calledModule(
  call: Declaration,
  module: TerraformModule,
  modulesByDir: Map<string, TerraformModule>,
): TerraformModule | undefined {
  const source = call.body.source;
  if (typeof source !== 'string' || !/^\.\.?\//.test(source)) return undefined;
  return modulesByDir.get(resolve(module.dir, source));
}

function checkModuleCall(
  call: Declaration,
  module: TerraformModule,
  modulesByDir: Map<string, TerraformModule>,
): Finding[] {
  const findings: Finding[] = [];
  const report = (message: string, key?: string): void => {
    const line =
      key && call.range ? call.file.source.locate(call.range, [{ name: key }])?.start : undefined;
    findings.push({
      file: call.file.path,
      line: line ?? call.range?.start,
      check: 'module-wiring',
      message: `module.${call.name}: ${message}`,
    });
  };
  const source = call.body.source;
  if (typeof source !== 'string' || isExpression(source)) {
    report('"source" must be a literal string');
    return findings;
  }
  if (!/^\.\.?\//.test(source)) return findings; // registry modules are resolved by terraform init
  const target = calledModule(call, module, modulesByDir);
  if (!target) {
    const exists = existsSync(resolve(module.dir, source));
    report(
      exists ? `source "${source}" holds no .tf files` : `source "${source}" does not exist`,
      'source',
    );
    return findings;
  }
  const declared = new Map(target.variables.map((v) => [v.name, v]));
  for (const key of Object.keys(call.body)) {
    if (MODULE_CALL_META.has(key)) continue;
    if (!declared.has(key))
      report(`passes "${key}", which ${target.path} does not declare as a variable`, key);
  }
  for (const variable of target.variables) {
    if (!('default' in variable.body) && !(variable.name in call.body)) {
      report(
        `does not pass required variable "${variable.name}" of ${target.path} (it has no default)`,
      );
    }
  }
  return findings;
}

function referenceText(reference: string): string {
  const segments = reference.split('.');
  const length = segments[0] === 'data' || segments[0] === 'module' ? 3 : 2;
  return segments.slice(0, length).join('.');
}

/** First line inside `range` that mentions `text`, to place a finding. */
export function lineContaining(
  file: Declaration['file'],
  range: LineRange | undefined,
  text: string,
): number | undefined {
  if (!range) return undefined;
  for (let n = range.start; n <= range.end; n += 1) {
    if (file.source.line(n).includes(text)) return n;
  }
  return range.start;
}
