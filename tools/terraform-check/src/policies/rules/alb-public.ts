// AVD-AWS-0053: load balancers are internal unless annotated as a deliberate public entry point.
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const albPublic: PolicyRule = {
  id: 'AWS-0053',
  trivy: 'AVD-AWS-0053',
  description: 'Load balancers are internal, or annotated as the public entry point they are.',
  check({ module }) {
    return resourcesOf(module, 'aws_lb', 'aws_alb')
      .filter((lb) => lb.body.internal !== true)
      .map((lb) => at(lb, 'internet-facing', [{ name: 'internal' }]));
  },
};
