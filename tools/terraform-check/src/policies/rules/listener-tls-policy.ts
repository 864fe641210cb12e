// CKV_AWS_103 / AVD-AWS-0047: HTTPS/TLS listeners accept TLS 1.2 or later only.
import { isExpression } from '../../expressions.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

const TLS12_POLICY = /TLS13|TLS-1-2|TLS12|FS-1-2/;

export const listenerTlsPolicy: PolicyRule = {
  id: 'CKV_AWS_103',
  trivy: 'AVD-AWS-0047',
  description: 'HTTPS and TLS listeners use a TLS 1.2+ ssl_policy.',
  check({ module }) {
    return resourcesOf(module, 'aws_lb_listener', 'aws_alb_listener').flatMap((listener) => {
      const protocol = listener.body.protocol;
      const policy = listener.body.ssl_policy;
      const https =
        protocol === 'HTTPS' ||
        protocol === 'TLS' ||
        (isExpression(protocol) && policy !== undefined);
      if (!https) return [];
      if (isExpression(policy) || (typeof policy === 'string' && TLS12_POLICY.test(policy))) {
        return [];
      }
      return [
        at(
          listener,
          'HTTPS listener needs a TLS 1.2+ ssl_policy (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06)',
          [{ name: 'ssl_policy' }],
        ),
      ];
    });
  },
};
