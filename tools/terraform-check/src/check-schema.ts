// Resource and data blocks against the provider schema snapshot: the type exists, every
// argument and nested block is known, required ones are present (inside dynamic blocks too),
// meta-arguments are used correctly.
import type { Finding } from './findings.ts';
import type { HclObject, HclValue } from './hcl-files.ts';
import { blockList, isHclObject } from './hcl-files.ts';
import type { Declaration, TerraformModule } from './module-model.ts';
import type { BlockSchema, NestedBlockSchema, ProviderSchemaSnapshot } from './schema.ts';
import { REFRESH_HINT } from './schema.ts';
import type { LineRange, PathStep } from './source-map.ts';

const RESOURCE_META = new Set([
  'count',
  'for_each',
  'depends_on',
  'lifecycle',
  'provider',
  'provisioner',
  'connection',
]);
const DATA_META = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider']);
const LIFECYCLE_KEYS = new Set([
  'create_before_destroy',
  'prevent_destroy',
  'ignore_changes',
  'replace_triggered_by',
  'precondition',
  'postcondition',
]);
const DYNAMIC_KEYS = new Set(['for_each', 'iterator', 'labels', 'content']);

export function checkSchema(module: TerraformModule, snapshot: ProviderSchemaSnapshot): Finding[] {
  const findings: Finding[] = [];
  for (const declaration of [...module.resources, ...module.dataSources]) {
    const isData = declaration.kind === 'data';
    const schemas = isData ? snapshot.dataSources : snapshot.resources;
    const address = `${isData ? 'data.' : ''}${declaration.type}.${declaration.name}`;
    const report = (message: string, path: PathStep[] = []): void => {
      findings.push({
        file: declaration.file.path,
        line: lineOf(declaration, path),
        check: 'schema',
        message: `${address}: ${message}`,
      });
    };
    const schema = schemas[declaration.type];
    if (!schema) {
      if (!declaration.type.startsWith('aws_')) continue; // other providers are not in the snapshot
      report(
        `${isData ? 'data source' : 'resource type'} "${declaration.type}" is not in the schema snapshot ` +
          `(provider ${snapshot.providerVersion}); check the spelling, or ${REFRESH_HINT}`,
      );
      continue;
    }
    const meta = isData ? DATA_META : RESOURCE_META;
    const body: HclObject = {};
    for (const [key, value] of Object.entries(declaration.body)) {
      if (meta.has(key)) continue;
      body[key] = value;
    }
    if ('count' in declaration.body && 'for_each' in declaration.body) {
      report('"count" and "for_each" cannot be used together', [{ name: 'for_each' }]);
    }
    checkLifecycle(declaration.body.lifecycle, schema, report);
    const writtenAsBlock = (path: PathStep[]): boolean => {
      if (!declaration.range) return false;
      const found = declaration.file.source.locate(declaration.range, path);
      const name = path[path.length - 1]?.name ?? '';
      return (
        found !== undefined &&
        new RegExp(`^\\s*${name}\\s*\\{`).test(declaration.file.source.line(found.start))
      );
    };
    checkBody(body, [schema], [], { report, writtenAsBlock });
  }
  return findings;
}

type Report = (message: string, path?: PathStep[]) => void;
interface Reporter {
  report: Report;
  /** Whether the source writes the thing at `path` as `name { ... }` (block syntax). */
  writtenAsBlock: (path: PathStep[]) => boolean;
}

/** `schemas`: the schemas from the resource down to this block's (last), for recursive blocks. */
function checkBody(
  body: HclObject,
  schemas: BlockSchema[],
  path: PathStep[],
  reporter: Reporter,
): void {
  const { report } = reporter;
  const schema = schemas[schemas.length - 1];
  const where = path.length === 0 ? '' : ` in ${path.map((step) => step.name).join('.')}`;
  const present = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (key === 'dynamic') {
      checkDynamicBlocks(value, schemas, path, reporter);
      continue;
    }
    if (key in schema.arguments) {
      present.add(key);
      // hcl2json renders `key { ... }` and `key = [{ ... }]` alike; the source tells them apart.
      if (blockList(value).length > 0 && reporter.writtenAsBlock([...path, { name: key }])) {
        report(`"${key}"${where} is an argument, not a block: write \`${key} = ...\``, [
          ...path,
          { name: key },
        ]);
      }
      continue;
    }
    const nested = schema.blocks[key];
    if (!nested) {
      report(`unknown argument or block "${key}"${where}${suggestion(key, schema)}`, [
        ...path,
        { name: key },
      ]);
      continue;
    }
    present.add(key);
    const instances = blockList(value);
    if (instances.length === 0 || !Array.isArray(value) || instances.length !== value.length) {
      report(`"${key}"${where} is a block: write \`${key} { ... }\` or a dynamic "${key}" block`, [
        ...path,
        { name: key },
      ]);
      continue;
    }
    if (nested.maxItems !== undefined && instances.length > nested.maxItems) {
      report(
        `at most ${nested.maxItems} "${key}" block(s) allowed${where}, found ${instances.length}`,
        [...path, { name: key, occurrence: nested.maxItems }],
      );
    }
    const contents = nestedSchema(nested, schemas);
    if (!contents) continue;
    instances.forEach((instance, occurrence) =>
      checkBody(instance, [...schemas, contents], [...path, { name: key, occurrence }], reporter),
    );
  }
  const dynamicNames = isHclObject(body.dynamic) ? Object.keys(body.dynamic) : [];
  for (const [name, requirement] of Object.entries(schema.arguments)) {
    if (requirement === 'required' && !present.has(name)) {
      report(`missing required argument "${name}"${where}`, path);
    }
  }
  for (const [name, nested] of Object.entries(schema.blocks)) {
    if (nested.required && !present.has(name) && !dynamicNames.includes(name)) {
      report(`missing required block "${name}"${where}`, path);
    }
  }
}

function checkDynamicBlocks(
  value: HclValue,
  schemas: BlockSchema[],
  path: PathStep[],
  reporter: Reporter,
): void {
  const { report } = reporter;
  const schema = schemas[schemas.length - 1];
  if (!isHclObject(value)) return;
  for (const [name, dynamics] of Object.entries(value)) {
    blockList(dynamics).forEach((dynamic, occurrence) => {
      const step: PathStep = { name, dynamic: true, occurrence };
      const nested = schema.blocks[name];
      if (!nested) {
        report(
          `dynamic "${name}": no nested block "${name}" here${suggestion(name, schema, true)}`,
          [...path, step],
        );
        return;
      }
      for (const key of Object.keys(dynamic)) {
        if (!DYNAMIC_KEYS.has(key))
          report(`dynamic "${name}": unknown argument "${key}"`, [...path, step]);
      }
      if (!('for_each' in dynamic))
        report(`dynamic "${name}": missing "for_each"`, [...path, step]);
      const content = blockList(dynamic.content);
      if (content.length !== 1) {
        report(`dynamic "${name}": needs exactly one "content" block`, [...path, step]);
        return;
      }
      const contents = nestedSchema(nested, schemas);
      if (!contents) return;
      checkBody(content[0], [...schemas, contents], [...path, step, { name: 'content' }], reporter);
    });
  }
}

/** The schema a nested block's contents are checked against; undefined when they are `any`. */
function nestedSchema(nested: NestedBlockSchema, schemas: BlockSchema[]): BlockSchema | undefined {
  if (nested.block) return nested.block;
  if (nested.anyContent) return undefined;
  const ancestor =
    nested.sameAsAncestor === undefined
      ? undefined
      : schemas[schemas.length - nested.sameAsAncestor];
  if (!ancestor) {
    throw new Error(
      `schema snapshot: a nested block has neither its own schema nor a valid ancestor; ${REFRESH_HINT}`,
    );
  }
  return ancestor;
}

function checkLifecycle(value: HclValue | undefined, schema: BlockSchema, report: Report): void {
  for (const lifecycle of blockList(value)) {
    for (const key of Object.keys(lifecycle)) {
      if (!LIFECYCLE_KEYS.has(key))
        report(`lifecycle: unknown argument "${key}"`, [{ name: 'lifecycle' }]);
    }
    const ignored = lifecycle.ignore_changes;
    if (!Array.isArray(ignored)) continue; // `all` or an expression
    for (const item of ignored) {
      const root = typeof item === 'string' ? /^\$\{([\w-]+)/.exec(item)?.[1] : undefined;
      if (root && !(root in schema.arguments) && !(root in schema.blocks)) {
        report(
          `lifecycle.ignore_changes names "${root}", which is not an argument or block of this type`,
          [{ name: 'lifecycle' }, { name: 'ignore_changes' }],
        );
      }
    }
  }
}

function suggestion(key: string, schema: BlockSchema, blocksOnly = false): string {
  const candidates = [
    ...(blocksOnly ? [] : Object.keys(schema.arguments)),
    ...Object.keys(schema.blocks),
  ];
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(key, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 4))
    ? ` (did you mean "${best.name}"?)`
    : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

export function lineOf(declaration: Declaration, path: PathStep[]): number | undefined {
  const range: LineRange | undefined = declaration.range;
  if (!range) return undefined;
  // Fall back to the closest located ancestor when the exact spot cannot be found.
  for (let length = path.length; length >= 0; length -= 1) {
    const found = declaration.file.source.locate(range, path.slice(0, length));
    if (found) return found.start;
  }
  return range.start;
}
