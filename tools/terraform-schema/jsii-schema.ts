// Reads Terraform block schemas out of the jsii assembly of @cdktn/provider-aws (bindings
// generated from the hashicorp/aws provider schema). See /work/shared/design/terraform-schema.md:
// a resource is a class whose summary links the registry page; its arguments are the properties
// of the `<Class>Config` interface; `<name> block.` properties whose type is a struct (or an array
// of one) are nested blocks; `optional` absent means required.
import type { BlockSchema, NestedBlockSchema } from '../terraform-check/src/schema.ts';

interface JsiiTypeRef {
  fqn?: string;
  primitive?: string;
  collection?: { kind: string; elementtype: JsiiTypeRef };
  union?: { types: JsiiTypeRef[] };
}

interface JsiiProperty {
  name: string;
  static?: boolean;
  optional?: boolean;
  docs?: { summary?: string; remarks?: string };
  type: JsiiTypeRef;
}

export interface JsiiType {
  fqn: string;
  kind: string;
  docs?: { summary?: string };
  properties?: JsiiProperty[];
  initializer?: { parameters?: { name: string; type: JsiiTypeRef }[] };
}

export interface ExtractedTypes {
  providerVersion: string;
  resources: Map<string, BlockSchema>;
  dataSources: Map<string, BlockSchema>;
}

const REGISTRY_LINK =
  /\{@link https:\/\/registry\.terraform\.io\/providers\/hashicorp\/aws\/([\d.]+)\/docs\/(resources|data-sources)\/\S+ (aws_\w+)\}/;
const PROPERTY_ANCHOR =
  /\{@link https:\/\/registry\.terraform\.io\/providers\/hashicorp\/aws\/[\d.]+\/docs\/(?:resources|data-sources)\/\w+#(\w+) /;
const BLOCK_SUMMARY = /^(\w+) block\.$/;
// Non-recursive nested schemas of the AWS provider are at most ~10 deep; recursion (a struct
// that nests itself) is caught by fqn first, so this only guards against a runaway assembly.
const MAX_DEPTH = 32;

/** Every resource and data source in the assembly whose Terraform name `wanted` accepts. */
export function extractProviderTypes(
  types: Record<string, JsiiType>,
  wanted: (kind: 'resource' | 'data', name: string) => boolean,
): ExtractedTypes {
  const result: ExtractedTypes = {
    providerVersion: '',
    resources: new Map(),
    dataSources: new Map(),
  };
  const versions = new Set<string>();
  for (const type of Object.values(types)) {
    if (type.kind !== 'class') continue;
    const link = REGISTRY_LINK.exec(type.docs?.summary ?? '');
    if (!link || !type.docs?.summary?.startsWith('Represents a ')) continue;
    const [, version, section, terraformName] = link;
    versions.add(version);
    const kind = section === 'resources' ? 'resource' : 'data';
    if (!wanted(kind, terraformName)) continue;
    const configFqn = type.initializer?.parameters?.find((p) => p.name === 'config')?.type.fqn;
    const config = configFqn ? types[configFqn] : undefined;
    if (!config) throw new Error(`${terraformName}: no config interface found in the assembly`);
    const schema = blockSchema(types, config, [config.fqn]);
    const computed = computedAttributes(type, schema);
    if (computed.length > 0) schema.computed = computed;
    (kind === 'resource' ? result.resources : result.dataSources).set(terraformName, schema);
  }
  if (versions.size !== 1) {
    throw new Error(
      `expected one provider version in the assembly, found: ${[...versions].join(', ')}`,
    );
  }
  result.providerVersion = [...versions][0];
  return result;
}

/** `path`: fqns of the structs from the config interface down to `struct` (inclusive). */
function blockSchema(
  types: Record<string, JsiiType>,
  struct: JsiiType,
  path: string[],
): BlockSchema {
  if (path.length > MAX_DEPTH) throw new Error(`${struct.fqn}: nesting deeper than ${MAX_DEPTH}`);
  const schema: BlockSchema = { arguments: {}, blocks: {} };
  for (const property of struct.properties ?? []) {
    const name = terraformName(property);
    if (!name) throw new Error(`${struct.fqn}.${property.name}: no registry anchor in its docs`);
    const blockName = BLOCK_SUMMARY.exec(property.docs?.summary ?? '')?.[1];
    const nested = blockName === undefined ? undefined : structOf(property.type);
    if (blockName !== undefined && property.type.primitive === 'any') {
      // Still a block in HCL, so `name = {...}` stays an error; only its contents are unknown.
      schema.blocks[name] = withLimits({ anyContent: true }, property.optional, false);
      continue;
    }
    if (!nested) {
      schema.arguments[name] = property.optional ? 'optional' : 'required';
      continue;
    }
    const nestedType = types[nested.fqn];
    if (!nestedType) throw new Error(`${struct.fqn}.${property.name}: ${nested.fqn} is missing`);
    // A struct that nests one of its ancestors (aws_wafv2_web_acl_rule's statement ->
    // and_statement -> statement) points back at it instead of being unrolled: the check then
    // applies the ancestor's full schema at every depth, so nothing is loosened to "any".
    const ancestor = path.lastIndexOf(nested.fqn);
    const block: NestedBlockSchema =
      ancestor >= 0
        ? { sameAsAncestor: path.length - ancestor }
        : { block: blockSchema(types, nestedType, [...path, nested.fqn]) };
    schema.blocks[name] = withLimits(block, property.optional, nested.single);
  }
  return schema;
}

function withLimits(
  block: NestedBlockSchema,
  optional: boolean | undefined,
  single: boolean,
): NestedBlockSchema {
  if (!optional) block.required = true;
  if (single) block.maxItems = 1;
  return block;
}

/**
 * Read-only attributes: the class's getters that are neither arguments, blocks nor `<arg>Input`
 * getters. Getters carry no registry anchor, so their names are converted from camelCase.
 */
function computedAttributes(resourceClass: JsiiType, schema: BlockSchema): string[] {
  const getters = (resourceClass.properties ?? []).filter((p) => !p.static).map((p) => p.name);
  const names = new Set(getters);
  const settable = new Set([...Object.keys(schema.arguments), ...Object.keys(schema.blocks)]);
  return getters
    .filter((name) => !(name.endsWith('Input') && names.has(name.slice(0, -'Input'.length))))
    .map((name) => name.replace(/Attribute$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`))
    .filter((name) => !settable.has(name))
    .sort();
}

function terraformName(property: JsiiProperty): string | undefined {
  const docs = `${property.docs?.summary ?? ''}\n${property.docs?.remarks ?? ''}`;
  return PROPERTY_ANCHOR.exec(docs)?.[1];
}

/** A struct reference: direct (a single block) or inside an array (a repeatable block). */
function structOf(type: JsiiTypeRef): { fqn: string; single: boolean } | undefined {
  if (type.fqn && type.fqn.startsWith('@cdktn/provider-aws.'))
    return { fqn: type.fqn, single: true };
  for (const member of type.union?.types ?? [type]) {
    const element = member.collection?.kind === 'array' ? member.collection.elementtype : undefined;
    if (element?.fqn?.startsWith('@cdktn/provider-aws.'))
      return { fqn: element.fqn, single: false };
  }
  return undefined;
}
