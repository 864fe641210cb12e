// A thin typed view over parsed workflow data: jobs, steps and the few fields the rules read.
// Workflow YAML is loosely typed by nature, so every accessor checks the shape it returns.
import { isNode, isPair, isScalar, type Node } from 'yaml';
import type { AutomationFile } from './workflow-files.ts';

export type Mapping = Record<string, unknown>;

export function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface Step {
  data: Mapping;
  /** Index in its job's (or composite action's) steps list. */
  index: number;
  /** YAML path of the step, for locating it in the source. */
  yamlPath: Array<string | number>;
}

export interface Job {
  id: string;
  data: Mapping;
  steps: Step[];
  yamlPath: Array<string | number>;
}

/** The jobs of a workflow; a composite action is treated as one job named `(composite)`. */
export function jobsOf(file: AutomationFile): Job[] {
  if (file.kind === 'composite-action') {
    const runs = isMapping(file.data.runs) ? file.data.runs : {};
    return [
      {
        id: '(composite)',
        data: runs,
        steps: stepsAt(runs.steps, ['runs', 'steps']),
        yamlPath: ['runs'],
      },
    ];
  }
  const jobs = isMapping(file.data.jobs) ? file.data.jobs : {};
  return Object.entries(jobs).flatMap(([id, data]) =>
    isMapping(data)
      ? [{ id, data, steps: stepsAt(data.steps, ['jobs', id, 'steps']), yamlPath: ['jobs', id] }]
      : [],
  );
}

function stepsAt(value: unknown, yamlPath: Array<string | number>): Step[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((data, index) =>
    isMapping(data) ? [{ data, index, yamlPath: [...yamlPath, index] }] : [],
  );
}

/** `uses:` of a step, or undefined for `run:` steps. */
export function usesOf(step: Step): string | undefined {
  return typeof step.data.uses === 'string' ? step.data.uses : undefined;
}

/** How a step is named in messages: its `name`, `id` or `uses`, with its position. */
export function describeStep(step: Step): string {
  const label = step.data.name ?? step.data.id ?? step.data.uses ?? 'run';
  return `step ${step.index + 1} (${String(label)})`;
}

/** `environment:` of a job as a name (string or `{ name }`), or undefined. */
export function environmentOf(job: Job): string | undefined {
  const environment = job.data.environment;
  if (typeof environment === 'string') return environment;
  if (isMapping(environment) && typeof environment.name === 'string') return environment.name;
  return undefined;
}

export type PermissionLevel = 'read' | 'write' | 'none';
export type Permissions = 'read-all' | 'write-all' | Record<string, PermissionLevel>;

function permissionsFrom(value: unknown): Permissions | undefined {
  if (value === 'read-all' || value === 'write-all') return value;
  if (isMapping(value)) {
    const result: Record<string, PermissionLevel> = {};
    for (const [scope, level] of Object.entries(value)) {
      if (level === 'read' || level === 'write' || level === 'none') result[scope] = level;
    }
    return result;
  }
  return undefined;
}

/** The permissions a job's token gets: its own block, else the workflow's. */
export function effectivePermissions(file: AutomationFile, job: Job): Permissions | undefined {
  return permissionsFrom(job.data.permissions) ?? permissionsFrom(file.data.permissions);
}

export function permissionLevel(
  permissions: Permissions | undefined,
  scope: string,
): PermissionLevel | 'unset' {
  if (permissions === undefined) return 'unset';
  if (permissions === 'read-all') return 'read';
  if (permissions === 'write-all') return 'write';
  return permissions[scope] ?? 'none';
}

/** 1-based line of the node at `yamlPath` (its key when it has one), or undefined. */
export function lineOf(file: AutomationFile, yamlPath: Array<string | number>): number | undefined {
  let node: unknown = file.document.contents;
  let keyNode: Node | undefined;
  for (const segment of yamlPath) {
    if (!isNode(node) || !('items' in node) || !Array.isArray(node.items)) return undefined;
    const items: unknown[] = node.items;
    if (typeof segment === 'number') {
      node = items[segment];
      keyNode = undefined;
    } else {
      const pair = items.find(
        (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
      );
      if (!isPair(pair)) return undefined;
      keyNode = isNode(pair.key) ? pair.key : undefined;
      node = pair.value;
    }
  }
  const target = keyNode ?? (isNode(node) ? node : undefined);
  const offset = target?.range?.[0];
  return offset === undefined ? undefined : file.lineCounter.linePos(offset).line;
}
