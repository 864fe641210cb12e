// AWS-0036 (trivy AVD-AWS-0036): no secret-looking value in a container's plain environment,
// whether written in container_definitions or passed to a module's `environment` map.
import { isHclObject } from '../../hcl-files.ts';
import { containerList, containerName, SECRET_LOOKING_NAME } from '../hcl-helpers.ts';
import { at, resourcesOf, type Candidate, type PolicyRule } from '../rule.ts';

export const plaintextSecrets: PolicyRule = {
  id: 'AWS-0036',
  trivy: 'AVD-AWS-0036',
  description:
    'Environment variables whose names look like secrets are passed as secrets, not plain environment.',
  async check({ module }) {
    const candidates: Candidate[] = [];
    for (const task of resourcesOf(module, 'aws_ecs_task_definition')) {
      for (const container of (await containerList(task.body.container_definitions, module)) ??
        []) {
        const environment = Array.isArray(container.environment)
          ? container.environment.filter(isHclObject)
          : [];
        for (const variable of environment) {
          if (typeof variable.name === 'string' && SECRET_LOOKING_NAME.test(variable.name)) {
            candidates.push(
              at(
                task,
                `container ${containerName(container)}: environment "${variable.name}" looks like a secret; use secrets`,
                [{ name: 'container_definitions' }],
              ),
            );
          }
        }
      }
    }
    for (const call of module.moduleCalls) {
      const environment = call.body.environment;
      if (!isHclObject(environment)) continue;
      for (const name of Object.keys(environment)) {
        if (SECRET_LOOKING_NAME.test(name)) {
          candidates.push(
            at(
              call,
              `environment variable "${name}" looks like a secret; pass it as a secret ARN`,
              [{ name: 'environment' }],
            ),
          );
        }
      }
    }
    return candidates;
  },
};
