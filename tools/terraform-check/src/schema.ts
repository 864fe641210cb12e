// The committed AWS provider schema snapshot (terraform/schema/aws-provider-schema.json) and
// its types. The snapshot is written by tools/terraform-schema/extract.ts.
import { readFileSync } from 'node:fs';

export type ArgumentRequirement = 'required' | 'optional';

export interface NestedBlockSchema {
  /** At least one block must be written (Terraform's MinItems >= 1). */
  required?: true;
  /** At most this many blocks (1 for single blocks); absent when the provider allows many. */
  maxItems?: number;
  /** The block's arguments and blocks. Exactly one of `block`, `sameAsAncestor`, `anyContent`. */
  block?: BlockSchema;
  /**
   * A recursive block (WAFv2's and_statement/or_statement/not_statement hold statements): its
   * schema is that of the block this many levels up (1 is the block that holds it).
   */
  sameAsAncestor?: number;
  /**
   * A block whose contents the bindings type as `any` (they stop describing the provider's
   * deepest schemas, e.g. aws_wafv2_web_acl's rule.statement): written as a block, contents
   * unchecked.
   */
  anyContent?: true;
}

export interface BlockSchema {
  arguments: Record<string, ArgumentRequirement>;
  blocks: Record<string, NestedBlockSchema>;
  /** Top-level types only: attributes that can be read but not set (`arn`, `url`, ...). */
  computed?: string[];
}

export interface ProviderSchemaSnapshot {
  provider: string;
  providerVersion: string;
  /** Where the schema came from, e.g. `@cdktn/provider-aws@25.7.0`. */
  source: string;
  resources: Record<string, BlockSchema>;
  dataSources: Record<string, BlockSchema>;
}

export const REFRESH_HINT =
  'refresh the snapshot with `npm run terraform:schema` (it adds every type used under terraform/)';

export function loadSchemaSnapshot(path: string): ProviderSchemaSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read the provider schema snapshot ${path}: ${String(error)}; ${REFRESH_HINT}`,
    );
  }
  const snapshot = parsed as Partial<ProviderSchemaSnapshot>;
  if (
    typeof snapshot.providerVersion !== 'string' ||
    typeof snapshot.resources !== 'object' ||
    typeof snapshot.dataSources !== 'object'
  ) {
    throw new Error(
      `${path} is not a provider schema snapshot (needs providerVersion, resources, dataSources); ${REFRESH_HINT}`,
    );
  }
  return snapshot as ProviderSchemaSnapshot;
}
