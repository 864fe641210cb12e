// CKV_AWS_91: application load balancers write access logs.
import type { Declaration, TerraformModule } from '../../module-model.ts';
import { hasEnabledBlock } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const albAccessLogs: PolicyRule = {
  id: 'CKV_AWS_91',
  description: 'Application load balancers have access_logs enabled.',
  check({ module }) {
    return applicationLoadBalancers(module).flatMap((alb) =>
      hasEnabledBlock(alb.body, 'access_logs')
        ? []
        : [
            at(alb, 'access_logs { enabled = true, bucket = ... } is required', [
              { name: 'access_logs' },
            ]),
          ],
    );
  },
};

/** aws_lb/aws_alb resources of type application (the default). */
export function applicationLoadBalancers(module: TerraformModule): Declaration[] {
  return resourcesOf(module, 'aws_lb', 'aws_alb').filter((alb) => {
    const type = alb.body.load_balancer_type;
    return type === undefined || type === 'application';
  });
}
