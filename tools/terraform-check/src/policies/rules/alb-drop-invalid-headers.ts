// CKV_AWS_131 / AVD-AWS-0052: application load balancers drop invalid HTTP headers.
import { isTrueOrExpression } from '../hcl-helpers.ts';
import { at, type PolicyRule } from '../rule.ts';
import { applicationLoadBalancers } from './alb-access-logs.ts';

export const albDropInvalidHeaders: PolicyRule = {
  id: 'CKV_AWS_131',
  trivy: 'AVD-AWS-0052',
  description: 'Application load balancers set drop_invalid_header_fields = true.',
  check({ module }) {
    return applicationLoadBalancers(module).flatMap((alb) =>
      isTrueOrExpression(alb.body.drop_invalid_header_fields)
        ? []
        : [
            at(alb, 'set drop_invalid_header_fields = true', [
              { name: 'drop_invalid_header_fields' },
            ]),
          ],
    );
  },
};
