// CKV_AWS_336: every container runs with a read-only root filesystem.
import { containerList, containerName } from '../hcl-helpers.ts';
import { at, resourcesOf, type Candidate, type PolicyRule } from '../rule.ts';

export const ecsReadOnlyRoot: PolicyRule = {
  id: 'CKV_AWS_336',
  description:
    'Task definitions set readonlyRootFilesystem = true on every container (and are written so that this can be read).',
  async check({ module }) {
    const candidates: Candidate[] = [];
    for (const task of resourcesOf(module, 'aws_ecs_task_definition')) {
      const path = [{ name: 'container_definitions' }];
      const containers = await containerList(task.body.container_definitions, module);
      if (!containers) {
        candidates.push(
          at(
            task,
            'cannot read container_definitions to verify readonlyRootFilesystem/privileged: write it as ' +
              'jsonencode([{ ... }]) (or jsonencode(local.x) of such a literal)',
            path,
          ),
        );
        continue;
      }
      for (const container of containers) {
        if (container.readonlyRootFilesystem !== true) {
          candidates.push(
            at(
              task,
              `container ${containerName(container)}: readonlyRootFilesystem must be true`,
              path,
            ),
          );
        }
      }
    }
    return candidates;
  },
};
