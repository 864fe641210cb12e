// Reads `terraform show -json` output into what a reviewer needs: which resources change how,
// and which of those changes lose something (destroy, replace).

export type ChangeKind = 'create' | 'update' | 'delete' | 'replace' | 'forget';

export interface ResourceChange {
  address: string;
  kind: ChangeKind;
  /** Terraform's reason, e.g. replace_because_cannot_update or delete_because_no_resource_config. */
  reason?: string;
}

export interface PlanCounts {
  add: number;
  change: number;
  destroy: number;
  replace: number;
}

export interface PlanSummary {
  counts: PlanCounts;
  /** Resources that change, destructive ones first, then by address. */
  changes: ResourceChange[];
  /** Outputs whose value changes. */
  outputChanges: number;
  terraformVersion?: string;
}

const order: Record<ChangeKind, number> = {
  delete: 0,
  replace: 1,
  forget: 2,
  create: 3,
  update: 4,
};

export function isDestructive(change: ResourceChange): boolean {
  return change.kind === 'delete' || change.kind === 'replace';
}

/**
 * Terraform's action lists: ["create"], ["update"], ["delete"], ["delete","create"] and
 * ["create","delete"] (replace, either order), ["forget"] (removed from state, kept in
 * the cloud); ["no-op"] and ["read"] change nothing.
 */
export function classifyActions(actions: readonly string[]): ChangeKind | undefined {
  const key = actions.join(',');
  switch (key) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    case 'forget':
      return 'forget';
    case 'no-op':
    case 'read':
    case '':
      return undefined;
    default:
      throw new Error(`unknown Terraform change actions [${actions.join(', ')}]`);
  }
}

/** `source` names the file in errors, e.g. the plan-json input's path. */
export function summarisePlan(plan: unknown, source = 'plan JSON'): PlanSummary {
  if (!plan || typeof plan !== 'object' || Array.isArray(plan)) {
    throw new Error(`${source} is not a Terraform plan: expected a JSON object`);
  }
  const root = plan as Record<string, unknown>;
  if (typeof root.format_version !== 'string') {
    throw new Error(
      `${source} is not \`terraform show -json <planfile>\` output: format_version is missing`,
    );
  }
  const resourceChanges = root.resource_changes ?? [];
  if (!Array.isArray(resourceChanges)) {
    throw new Error(`${source}: resource_changes must be an array`);
  }

  const changes: ResourceChange[] = [];
  resourceChanges.forEach((entry: unknown, index) => {
    const item = entry as {
      address?: unknown;
      change?: { actions?: unknown };
      action_reason?: unknown;
    };
    const actions = item?.change?.actions;
    if (typeof item?.address !== 'string' || !Array.isArray(actions)) {
      throw new Error(`${source}: resource_changes[${index}] needs an address and change.actions`);
    }
    let kind: ChangeKind | undefined;
    try {
      kind = classifyActions(actions.map(String));
    } catch (error) {
      throw new Error(`${source}: ${item.address}: ${(error as Error).message}`, { cause: error });
    }
    if (!kind) return;
    changes.push({
      address: item.address,
      kind,
      ...(typeof item.action_reason === 'string' ? { reason: item.action_reason } : {}),
    });
  });
  // Code-point order, like Terraform's own output; localeCompare would vary with the runner.
  changes.sort(
    (a, b) =>
      order[a.kind] - order[b.kind] || (a.address < b.address ? -1 : a.address > b.address ? 1 : 0),
  );

  const count = (kind: ChangeKind) => changes.filter((c) => c.kind === kind).length;
  const outputs = root.output_changes;
  const outputChanges =
    outputs && typeof outputs === 'object'
      ? Object.values(outputs as Record<string, { actions?: unknown }>).filter(
          (o) => Array.isArray(o?.actions) && classifyActions(o.actions.map(String)) !== undefined,
        ).length
      : 0;

  return {
    counts: {
      add: count('create'),
      change: count('update'),
      destroy: count('delete'),
      replace: count('replace'),
    },
    changes,
    outputChanges,
    ...(typeof root.terraform_version === 'string'
      ? { terraformVersion: root.terraform_version }
      : {}),
  };
}

export function hasChanges(summary: PlanSummary): boolean {
  return summary.changes.length > 0 || summary.outputChanges > 0;
}
