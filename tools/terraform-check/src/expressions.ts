// Terraform expressions arrive from hcl2json as strings with `${...}` parts. References come
// from the real HCL parser (getReferencesInExpression); literal structures inside jsonencode()
// are recovered by parsing the expression again as an attribute.
import { getReferencesInExpression, parse } from '@cdktf/hcl2json';
import type { HclObject, HclValue } from './hcl-files.ts';

const SIMPLE_TRAVERSAL = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\]|\[\*\])*$/;
const referenceCache = new Map<string, string[]>();

/** Dotted references (`var.x`, `aws_sqs_queue.this.arn`, `module.m.0.out`) in one string value. */
export async function referencesIn(value: string): Promise<string[]> {
  if (!value.includes('${')) return [];
  const cached = referenceCache.get(value);
  if (cached) return cached;
  let refs = simpleInterpolations(value);
  if (refs === undefined) {
    const found = await getReferencesInExpression('expression.tf', value);
    refs = found.map((ref) => ref.value);
  }
  referenceCache.set(value, refs);
  return refs;
}

/** Fast path for `${a.b.c}` interpolations, which need no parser (most expressions). */
function simpleInterpolations(value: string): string[] | undefined {
  const refs: string[] = [];
  const parts = value.split('${');
  for (const part of parts.slice(1)) {
    const end = part.indexOf('}');
    const inner = end < 0 ? '' : part.slice(0, end).trim();
    if (!SIMPLE_TRAVERSAL.test(inner) || part.slice(end + 1).includes('{')) return undefined;
    refs.push(inner.replace(/\[(\d+)\]/g, '.$1').replace(/\[\*\]/g, ''));
  }
  return refs;
}

/** Every string in a value tree, with the key path that leads to it. */
export function* stringsIn(
  value: HclValue,
  path: string[] = [],
): Generator<{ path: string[]; value: string }> {
  if (typeof value === 'string') yield { path, value };
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item, path);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) yield* stringsIn(item, [...path, key]);
  }
}

/** Whether a value is one whole interpolation, e.g. `${var.x}` (not a literal). */
export function isExpression(value: HclValue | undefined): boolean {
  return typeof value === 'string' && value.startsWith('${') && value.endsWith('}');
}

/** The argument of `${jsonencode(...)}` as a literal tree when it is one, else undefined. */
export async function jsonencodeArgument(
  value: HclValue | undefined,
): Promise<HclValue | undefined> {
  if (typeof value !== 'string') return undefined;
  const match = /^\$\{\s*jsonencode\(([\s\S]*)\)\s*\}$/.exec(value);
  if (!match) return undefined;
  return literalOf(match[1]);
}

/** Parses an HCL expression's source into JSON; unknown parts stay `${...}` strings. */
export async function literalOf(expression: string): Promise<HclValue | undefined> {
  try {
    const parsed = (await parse('expression.tf', `value = ${expression.trim()}\n`)) as HclObject;
    return parsed.value;
  } catch {
    return undefined;
  }
}
