// CKV_AWS_334: no container runs privileged.
import { containerList, containerName } from '../hcl-helpers.ts';
import { at, resourcesOf, type Candidate, type PolicyRule } from '../rule.ts';

export const ecsNotPrivileged: PolicyRule = {
  id: 'CKV_AWS_334',
  description: 'No container in a task definition sets privileged = true.',
  async check({ module }) {
    const candidates: Candidate[] = [];
    for (const task of resourcesOf(module, 'aws_ecs_task_definition')) {
      // An unreadable definition is reported once, by CKV_AWS_336.
      for (const container of (await containerList(task.body.container_definitions, module)) ??
        []) {
        if (container.privileged === true) {
          candidates.push(
            at(task, `container ${containerName(container)}: privileged must not be true`, [
              { name: 'container_definitions' },
            ]),
          );
        }
      }
    }
    return candidates;
  },
};
