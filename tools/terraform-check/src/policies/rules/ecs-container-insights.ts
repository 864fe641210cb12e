// CKV_AWS_65 / AVD-AWS-0034: ECS clusters have Container Insights on.
import { isExpression } from '../../expressions.ts';
import { blocksOf } from '../hcl-helpers.ts';
import { at, resourcesOf, type PolicyRule } from '../rule.ts';

const INSIGHTS_ON = new Set(['enabled', 'enhanced']);

export const ecsContainerInsights: PolicyRule = {
  id: 'CKV_AWS_65',
  trivy: 'AVD-AWS-0034',
  description: 'ECS clusters set containerInsights to enabled or enhanced.',
  check({ module }) {
    return resourcesOf(module, 'aws_ecs_cluster').flatMap((cluster) => {
      const insights = blocksOf(cluster.body, 'setting').find(
        (setting) => setting.name === 'containerInsights',
      );
      const on =
        insights !== undefined &&
        (isExpression(insights.value) ||
          (typeof insights.value === 'string' && INSIGHTS_ON.has(insights.value)));
      if (on) return [];
      return [
        at(
          cluster,
          'Container Insights must be on: setting { name = "containerInsights", value = "enabled" }',
          [{ name: 'setting' }],
        ),
      ];
    });
  },
};
