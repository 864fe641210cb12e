// CKV2_AWS_11 / AVD-AWS-0178: every VPC has a flow log.
import { mentions } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const vpcFlowLogs: PolicyRule = {
  id: 'CKV2_AWS_11',
  trivy: 'AVD-AWS-0178',
  description: 'Every aws_vpc is captured by an aws_flow_log of the same module.',
  check({ module }) {
    return resourcesOf(module, 'aws_vpc').flatMap((vpc) =>
      module.resources.some(
        (other) =>
          other.type === 'aws_flow_log' && mentions(other.body.vpc_id, `aws_vpc.${vpc.name}`),
      )
        ? []
        : [at(vpc, 'no aws_flow_log in this module captures this VPC')],
    );
  },
};
