// Reads a Terraform module directory with HashiCorp's parser (@cdktf/hcl2json), for tests that
// assert what the modules declare: resources by type and name, data sources, variables, outputs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

export type Hcl = Record<string, unknown>;

export const terraformDir = join(__dirname, '..');
export const modulesDir = join(terraformDir, 'modules');

export interface HclModule {
  resource(type: string, name: string): Hcl;
  data(type: string, name: string): Hcl;
  variable(name: string): Hcl;
  output(name: string): Hcl;
  moduleCall(name: string): Hcl;
  resourcesOf(type: string): Record<string, Hcl>;
  /** Every file's text joined (for comments, which the parser drops). */
  text: string;
}

export async function loadModule(dir: string): Promise<HclModule> {
  const merged: Record<string, Record<string, Record<string, Hcl[]>>> = {};
  const singles: Record<string, Record<string, Hcl[]>> = {};
  let text = '';
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    text += `${source}\n`;
    const body = (await parse(file, source)) as Record<string, Record<string, unknown>>;
    for (const kind of ['resource', 'data']) {
      for (const [type, byName] of Object.entries(body[kind] ?? {})) {
        merged[kind] ??= {};
        merged[kind][type] = {
          ...(merged[kind][type] ?? {}),
          ...(byName as Record<string, Hcl[]>),
        };
      }
    }
    for (const kind of ['variable', 'output', 'module']) {
      singles[kind] = {
        ...(singles[kind] ?? {}),
        ...((body[kind] ?? {}) as Record<string, Hcl[]>),
      };
    }
  }
  const pick = (kind: string, type: string, name: string): Hcl => {
    const found = merged[kind]?.[type]?.[name]?.[0];
    if (!found) throw new Error(`${kind} ${type}.${name} not found in ${dir}`);
    return found;
  };
  const single = (kind: string, name: string): Hcl => {
    const found = singles[kind]?.[name]?.[0];
    if (!found) throw new Error(`${kind} ${name} not found in ${dir}`);
    return found;
  };
  return {
    resource: (type, name) => pick('resource', type, name),
    data: (type, name) => pick('data', type, name),
    variable: (name) => single('variable', name),
    output: (name) => single('output', name),
    moduleCall: (name) => single('module', name),
    resourcesOf: (type) =>
      Object.fromEntries(
        Object.entries(merged.resource?.[type] ?? {}).map(([name, bodies]) => [name, bodies[0]]),
      ),
    text,
  };
}

/** The blocks of one name in a body (hcl2json parses blocks as arrays). */
export function blocks(body: Hcl, name: string): Hcl[] {
  return (body[name] as Hcl[] | undefined) ?? [];
}

/** Statements of an aws_iam_policy_document, static and dynamic content. */
export function statements(document: Hcl): Hcl[] {
  const dynamic = blocks(document, 'dynamic')[0] as Record<string, Hcl[]> | undefined;
  const dynamicStatements = (dynamic?.statement ?? []).flatMap((d) => blocks(d, 'content'));
  return [...blocks(document, 'statement'), ...dynamicStatements];
}

export function actionsOf(statement: Hcl): string[] {
  return (statement.actions as string[] | undefined) ?? [];
}
