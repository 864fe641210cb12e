// Which task definition revision to roll back to. The default is the newest ACTIVE revision of
// the family older than the live one that the deploy action registered — not simply live-1,
// which may be deregistered, and not a revision Terraform registered when it changed a setting
// (those hold the image Terraform was first applied with, not a release).
import { ListTaskDefinitionsCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { callAws } from '@notify/actions-shared';
import {
  describeTaskDefinition,
  familyRevision,
  hasDeployTag,
} from '../../deploy/src/task-definition.ts';

export function parseTaskDefinitionArn(arn: string): { family: string; revision: number } {
  const match = /([A-Za-z0-9_-]+):(\d+)$/.exec(familyRevision(arn));
  if (!match) throw new Error(`Not a task definition ARN or family:revision: ${arn}`);
  return { family: match[1], revision: Number(match[2]) };
}

async function previousActiveRevision(
  ecs: ECSClient,
  region: string,
  family: string,
  liveRevision: number,
): Promise<string> {
  let nextToken: string | undefined;
  do {
    const page = await callAws(
      { operation: 'ecs:ListTaskDefinitions', resource: `family ${family}`, region },
      () =>
        ecs.send(
          new ListTaskDefinitionsCommand({
            familyPrefix: family,
            status: 'ACTIVE',
            sort: 'DESC',
            nextToken,
          }),
        ),
    );
    for (const arn of page.taskDefinitionArns ?? []) {
      const parsed = parseTaskDefinitionArn(arn);
      // familyPrefix also matches longer families (notify-staging-api-canary); keep exact ones.
      if (parsed.family !== family || parsed.revision >= liveRevision) continue;
      const candidate = await describeTaskDefinition(ecs, region, arn);
      if (hasDeployTag(candidate.tags)) return arn;
    }
    nextToken = page.nextToken;
  } while (nextToken);
  throw new Error(
    `No ACTIVE revision of ${family} older than the live revision ${liveRevision} was ` +
      'registered by a deploy; ' +
      "give the 'target' input explicitly.",
  );
}

/** Resolves the 'target' input against the live revision to a full, ACTIVE task definition ARN. */
export async function resolveTarget(
  ecs: ECSClient,
  region: string,
  liveArn: string,
  target: string,
): Promise<string> {
  const live = parseTaskDefinitionArn(liveArn);
  let wanted: string;
  if (target === '') wanted = await previousActiveRevision(ecs, region, live.family, live.revision);
  else if (/^\d+$/.test(target)) wanted = `${live.family}:${target}`;
  else wanted = target;

  const described = await describeTaskDefinition(ecs, region, wanted).catch((error: unknown) => {
    throw new Error(
      `Input 'target' names ${wanted}, which could not be read: ${(error as Error).message}`,
    );
  });
  const resolved = described.taskDefinition;
  if (resolved.status !== 'ACTIVE') {
    throw new Error(
      `Input 'target' names ${familyRevision(resolved.taskDefinitionArn ?? wanted)}, which is ${resolved.status}; ` +
        'ECS cannot deploy a deregistered revision.',
    );
  }
  if (resolved.family !== live.family) {
    throw new Error(
      `Input 'target' names family ${resolved.family}, but the service runs ${live.family}.`,
    );
  }
  if (resolved.taskDefinitionArn === liveArn) {
    throw new Error(
      `Input 'target': ${familyRevision(liveArn)} is already live; nothing to roll back.`,
    );
  }
  return resolved.taskDefinitionArn ?? wanted;
}
