// CKV_AWS_333: ECS services do not give their tasks public IPs.
import { blocksOf } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const ecsNoPublicIp: PolicyRule = {
  id: 'CKV_AWS_333',
  description: 'ECS services keep assign_public_ip false (tasks run in private subnets).',
  check({ module }) {
    return resourcesOf(module, 'aws_ecs_service').flatMap((service) =>
      blocksOf(service.body, 'network_configuration').some(
        (network) => network.assign_public_ip === true,
      )
        ? [
            at(service, 'assign_public_ip must be false (tasks run in private subnets)', [
              { name: 'network_configuration' },
              { name: 'assign_public_ip' },
            ]),
          ]
        : [],
    );
  },
};
