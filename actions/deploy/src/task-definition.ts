// A new task definition revision from the live one, with only the image changed. Starting
// from the live revision (not a file in the repo) keeps Terraform-managed settings (roles,
// secrets, log configuration) exactly as they run now.
import {
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { callAws, InputError } from '@notify/actions-shared';

/** Fields DescribeTaskDefinition returns that RegisterTaskDefinition rejects. */
const readOnlyFields = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

export interface LiveTaskDefinition {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

export async function describeTaskDefinition(
  ecs: ECSClient,
  region: string,
  taskDefinition: string,
): Promise<LiveTaskDefinition> {
  const response = await callAws(
    { operation: 'ecs:DescribeTaskDefinition', resource: taskDefinition, region },
    () => ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] })),
  );
  if (!response.taskDefinition) throw new Error(`Task definition ${taskDefinition} not found.`);
  return { taskDefinition: response.taskDefinition, tags: response.tags ?? [] };
}

/** `arn:aws:ecs:<region>:<account>:task-definition/notify-staging-api:42` -> `notify-staging-api`. */
export function taskDefinitionFamily(arnOrFamilyRevision: string): string {
  const name = arnOrFamilyRevision.split('/').pop() ?? arnOrFamilyRevision;
  return name.replace(/:\d+$/, '');
}

/** The container to update: the named one, else the first. */
export function pickContainerName(taskDefinition: TaskDefinition, requested?: string): string {
  const names = (taskDefinition.containerDefinitions ?? []).map((c) => c.name ?? '');
  if (requested) {
    if (!names.includes(requested)) {
      throw new InputError(
        'container-name',
        `must name a container of ${familyRevision(taskDefinition.taskDefinitionArn ?? '')}; ` +
          `it has: ${names.join(', ')}; got '${requested}'`,
      );
    }
    return requested;
  }
  if (names.length === 0) throw new Error('The live task definition has no containers.');
  return names[0];
}

/** Marks task definition revisions registered by this action (each runs a released image). */
export const DEPLOYED_BY_TAG = { key: 'notify:deployed-by', value: 'deploy-action' } as const;

export function hasDeployTag(tags: { key?: string; value?: string }[]): boolean {
  return tags.some((t) => t.key === DEPLOYED_BY_TAG.key && t.value === DEPLOYED_BY_TAG.value);
}

export function renderTaskDefinition(
  live: LiveTaskDefinition,
  change: { image: string; containerName: string },
): RegisterTaskDefinitionCommandInput {
  const copy: Record<string, unknown> = { ...live.taskDefinition };
  for (const field of readOnlyFields) delete copy[field];
  const rendered = copy as unknown as RegisterTaskDefinitionCommandInput;
  rendered.containerDefinitions = (live.taskDefinition.containerDefinitions ?? []).map(
    (container) =>
      container.name === change.containerName ? { ...container, image: change.image } : container,
  );
  // Tags under the aws: prefix are AWS's own and cannot be set by callers. The deploy tag marks
  // revisions that carry a released image, as opposed to Terraform's own (see rollback's target).
  const tags = live.tags.filter(
    (tag) => !tag.key?.startsWith('aws:') && tag.key !== DEPLOYED_BY_TAG.key,
  );
  rendered.tags = [...tags, DEPLOYED_BY_TAG];
  return rendered;
}

export async function registerTaskDefinition(
  ecs: ECSClient,
  region: string,
  input: RegisterTaskDefinitionCommandInput,
): Promise<TaskDefinition> {
  const response = await callAws(
    {
      operation: 'ecs:RegisterTaskDefinition',
      resource: `task definition family ${input.family}`,
      region,
    },
    () => ecs.send(new RegisterTaskDefinitionCommand(input)),
  );
  if (!response.taskDefinition?.taskDefinitionArn) {
    throw new Error(`RegisterTaskDefinition for ${input.family} returned no task definition.`);
  }
  return response.taskDefinition;
}

/** `arn:...:task-definition/notify-staging-api:42` -> `notify-staging-api:42`. */
export function familyRevision(arn: string): string {
  return arn.split('/').pop() ?? arn;
}
