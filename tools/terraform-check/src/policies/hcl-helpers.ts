// Small readers of resource bodies shared by the policy rules.
import { isExpression, jsonencodeArgument, literalOf } from '../expressions.ts';
import type { HclObject, HclValue } from '../hcl-files.ts';
import { blockList, isHclObject } from '../hcl-files.ts';
import type { Declaration, TerraformModule } from '../module-model.ts';

export const SECRET_LOOKING_NAME =
  /(secret|passw(or)?d|token|api[_-]?key|private[_-]?key|credential)/i;

export function isTrueOrExpression(value: HclValue | undefined): boolean {
  return value === true || isExpression(value);
}

export function dynamicContents(body: HclObject, name: string): HclObject[] {
  const dynamic = isHclObject(body.dynamic) ? body.dynamic : {};
  return blockList(dynamic[name]).flatMap((block) => blockList(block.content));
}

/** Static and dynamic blocks of one name. */
export function blocksOf(body: HclObject, name: string): HclObject[] {
  return [...blockList(body[name]), ...dynamicContents(body, name)];
}

export function hasEnabledBlock(body: HclObject, name: string): boolean {
  if (dynamicContents(body, name).length > 0) return true;
  const blocks = blockList(body[name]);
  return blocks.length > 0 && blocks.every((block) => block.enabled !== false);
}

/** Whether an expression refers to `address` (`aws_s3_bucket.logs.id`, `...[0]`). */
export function mentions(value: HclValue | undefined, address: string): boolean {
  if (typeof value !== 'string') return false;
  return value.includes(`${address}.`) || value.includes(`${address}[`);
}

/** Bodies of the module's `type` resources whose `argument` refers to `declaration`. */
export function companions(
  module: TerraformModule,
  declaration: Declaration,
  type: string,
  argument: string,
): HclObject[] {
  return module.resources
    .filter(
      (other) =>
        other.type === type &&
        mentions(other.body[argument], `${declaration.type}.${declaration.name}`),
    )
    .map((other) => other.body);
}

/** container_definitions as objects, or undefined when they cannot be read statically. */
export async function containerList(
  value: HclValue | undefined,
  module: TerraformModule,
): Promise<HclObject[] | undefined> {
  const list = await resolveLocals(await jsonencodeArgument(value), module);
  if (!Array.isArray(list)) return undefined;
  const containers: HclObject[] = [];
  for (const item of list) {
    const container = await resolveLocals(item, module);
    if (!isHclObject(container)) return undefined;
    containers.push(container);
  }
  return containers;
}

export function containerName(container: HclObject): string {
  return typeof container.name === 'string' ? container.name : '(unnamed)';
}

/** `${local.x}` -> the local's literal value (one level), so containers can be kept in locals. */
async function resolveLocals(
  value: HclValue | undefined,
  module: TerraformModule,
): Promise<HclValue | undefined> {
  if (typeof value !== 'string') return value;
  const name = /^\$\{local\.([\w-]+)\}$/.exec(value)?.[1];
  const local = name === undefined ? undefined : module.locals.find((l) => l.name === name);
  if (!local) return value;
  if (typeof local.value === 'string' && isExpression(local.value)) {
    return literalOf(local.value.slice(2, -1));
  }
  return local.value;
}

/**
 * What a scanner sees for an argument it evaluates with the module's defaults: the literal, or
 * the default of the variable it is (`${var.x}`). Other expressions stay as written (unknown).
 */
export function withDefaults(
  value: HclValue | undefined,
  module: TerraformModule,
): HclValue | undefined {
  if (typeof value !== 'string') return value;
  const name = /^\$\{var\.([\w-]+)\}$/.exec(value)?.[1];
  const variable = name === undefined ? undefined : module.variables.find((v) => v.name === name);
  if (!variable) return value;
  return variable.body.default ?? null;
}

/** No value at all, or null once the variable defaults are applied. */
export function unsetByDefault(value: HclValue | undefined, module: TerraformModule): boolean {
  const seen = withDefaults(value, module);
  return seen === undefined || seen === null;
}

/**
 * Whether a CIDR argument is, or by default becomes, the whole internet: the literal, or an
 * expression over variables (directly, or through the resource's for_each and the locals it
 * names, one level) whose defaults list 0.0.0.0/0 or ::/0.
 */
export function publicByDefault(
  resource: Declaration,
  argument: string,
  module: TerraformModule,
): boolean {
  const internet = /"(0\.0\.0\.0\/0|::\/0)"/;
  const written = JSON.stringify([resource.body[argument] ?? null, resource.body.for_each ?? null]);
  if (internet.test(JSON.stringify(resource.body[argument] ?? null))) return true;
  if (!/\beach\.|\bvar\.|\blocal\./.test(written)) return false;
  let text = written;
  for (const local of module.locals) {
    if (text.includes(`local.${local.name}`)) text += JSON.stringify(local.value);
  }
  return module.variables.some(
    (variable) =>
      text.includes(`var.${variable.name}`) &&
      internet.test(JSON.stringify(variable.body.default ?? null)),
  );
}

/**
 * Whether a resource is not created with the module's variable defaults, as checkov sees it (it
 * drops resources whose `count` evaluates to 0): `count = 0`, `count = var.n` defaulting to 0, or
 * `count = var.on ? 1 : 0` (and the negated form) with a boolean default. Anything else is
 * taken as created.
 */
export function absentByDefault(body: HclObject, module: TerraformModule): boolean {
  const count = withDefaults(body.count, module);
  if (count === undefined) return false;
  if (count === 0) return true;
  if (typeof count !== 'string') return false;
  const ternary = /^\$\{\s*(!?)\s*var\.([\w-]+)\s*\?\s*(\d+)\s*:\s*(\d+)\s*\}$/.exec(count);
  if (!ternary) return false;
  const [, negated, name, whenTrue, whenFalse] = ternary;
  const fallback = module.variables.find((v) => v.name === name)?.body.default;
  if (typeof fallback !== 'boolean') return false;
  return Number(fallback !== (negated === '!') ? whenTrue : whenFalse) === 0;
}
