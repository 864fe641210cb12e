// NOTIFY_ECS_CLUSTER_READY (project rule, no scanner has it): a module that attaches capacity
// providers with aws_ecs_cluster_capacity_providers must not hand out the cluster's name/ARN
// straight from aws_ecs_cluster. A caller's service with a capacity provider strategy would be
// created as soon as the cluster exists, before the providers are attached (CreateService fails),
// and on destroy the attachment can outlive the services' removal order. The outputs must depend
// on the attachment: take the value from it, or add depends_on.
import { mentions } from '../hcl-helpers.ts';
import type { Candidate, PolicyRule } from '../rule.ts';

export const ecsClusterOutputsAfterCapacityProviders: PolicyRule = {
  id: 'NOTIFY_ECS_CLUSTER_READY',
  description:
    'Outputs of a cluster with aws_ecs_cluster_capacity_providers depend on that attachment, not on aws_ecs_cluster alone.',
  check({ module }) {
    const candidates: Candidate[] = [];
    for (const attachment of module.resources) {
      if (attachment.type !== 'aws_ecs_cluster_capacity_providers') continue;
      const attachmentAddress = `${attachment.type}.${attachment.name}`;
      const clusters = module.resources.filter(
        (cluster) =>
          cluster.type === 'aws_ecs_cluster' &&
          mentions(attachment.body.cluster_name, `aws_ecs_cluster.${cluster.name}`),
      );
      for (const cluster of clusters) {
        for (const output of module.outputs) {
          const value = JSON.stringify(output.body.value ?? '');
          if (!value.includes(`aws_ecs_cluster.${cluster.name}.`)) continue;
          const dependsOn = JSON.stringify(output.body.depends_on ?? []);
          if (value.includes(`${attachmentAddress}.`) || dependsOn.includes(attachmentAddress)) {
            continue;
          }
          candidates.push({
            file: output.file,
            line: output.range?.start,
            message:
              `output.${output.name}: comes from aws_ecs_cluster.${cluster.name} alone, so callers can create ` +
              `services before ${attachmentAddress} attaches the capacity providers; add ` +
              `depends_on = [${attachmentAddress}] (or take the value from it)`,
          });
        }
      }
    }
    return candidates;
  },
};
