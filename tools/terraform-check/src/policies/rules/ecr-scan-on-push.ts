// CKV_AWS_163 / AVD-AWS-0030: ECR scans images on push.
import { isExpression } from '../../expressions.ts';
import { blockList } from '../../hcl-files.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

export const ecrScanOnPush: PolicyRule = {
  id: 'CKV_AWS_163',
  trivy: 'AVD-AWS-0030',
  description: 'ECR repositories scan images on push.',
  check({ module }) {
    return resourcesOf(module, 'aws_ecr_repository').flatMap((repository) => {
      const scanOnPush = blockList(repository.body.image_scanning_configuration)[0]?.scan_on_push;
      if (scanOnPush === true || isExpression(scanOnPush)) return [];
      return [
        at(repository, 'image_scanning_configuration { scan_on_push = true } is required', [
          { name: 'image_scanning_configuration' },
        ]),
      ];
    });
  },
};
