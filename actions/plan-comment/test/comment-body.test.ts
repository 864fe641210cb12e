import { COMMENT_BUDGET, commentMarker, renderPlanComment } from '../src/comment-body.ts';
import { summarisePlan } from '../src/plan.ts';
import { planJson, planText } from './plan-fixtures.ts';

describe('renderPlanComment', () => {
  it('starts with the hidden marker of its environment', () => {
    const { body } = renderPlanComment({
      environment: 'staging',
      summary: summarisePlan(planJson([['aws_sqs_queue.email', ['create']]])),
    });
    expect(body.startsWith(`${commentMarker('staging')}\n`)).toBe(true);
    expect(commentMarker('staging')).toBe('<!-- notify-plan-comment:staging -->');
    expect(body).not.toContain('<details>');
  });

  it('stays within the budget for a plan with thousands of long addresses and a huge text', () => {
    const changes = Array.from(
      { length: 8_000 },
      (_, i) =>
        [`module.m${i}.aws_iam_policy.p["${'x'.repeat(200)}"]`, ['delete']] as [string, string[]],
    );
    const { body, planTextTruncated } = renderPlanComment({
      environment: 'production',
      summary: summarisePlan(planJson(changes)),
      planText: planText(30_000),
      runUrl: 'https://github.com/a/b/actions/runs/1',
    });
    expect(body.length).toBeLessThanOrEqual(COMMENT_BUDGET);
    expect(planTextTruncated).toBe(true);
    expect(body).toContain('… and 7950 more');
    expect(body).toContain('This plan destroys or replaces 8000 resources');
  });

  it('keeps a table cell intact when an address holds a pipe or a backtick', () => {
    const { body } = renderPlanComment({
      environment: 'staging',
      summary: summarisePlan(planJson([['aws_ssm_parameter.p["a|b`c"]', ['update']]])),
    });
    expect(body).toContain('| `aws_ssm_parameter.p["a\\|b\'c"]` | 🔄 update |');
  });

  it('shows a fitting plan text whole', () => {
    const text = planText(30);
    const { body, planTextTruncated } = renderPlanComment({
      environment: 'staging',
      summary: summarisePlan(planJson([['aws_sqs_queue.email', ['create']]])),
      planText: text,
    });
    expect(planTextTruncated).toBe(false);
    expect(body).toContain('<details><summary>Plan output</summary>');
    expect(body).toContain('Plan: 30 to add, 0 to change, 0 to destroy.');
  });
});
