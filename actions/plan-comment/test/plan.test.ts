import { classifyActions, summarisePlan } from '../src/plan.ts';
import { planJson } from './plan-fixtures.ts';

describe('classifyActions', () => {
  it.each([
    [['create'], 'create'],
    [['update'], 'update'],
    [['delete'], 'delete'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['forget'], 'forget'],
    [['no-op'], undefined],
    [['read'], undefined],
  ])('%j -> %s', (actions, kind) => {
    expect(classifyActions(actions)).toBe(kind);
  });

  it('rejects actions it does not know', () => {
    expect(() => classifyActions(['explode'])).toThrow(
      'unknown Terraform change actions [explode]',
    );
  });
});

describe('summarisePlan', () => {
  it('counts add, change, destroy and replace separately, destructive first', () => {
    const summary = summarisePlan(
      planJson(
        [
          ['aws_sqs_queue.email', ['create']],
          ['aws_sqs_queue.dlq', ['create']],
          ['aws_ecs_service.api', ['update']],
          ['aws_db_instance.old', ['delete'], 'delete_because_no_resource_config'],
          ['aws_lb.main', ['delete', 'create'], 'replace_because_cannot_update'],
          ['aws_lb_listener.blue', ['create', 'delete']],
          ['data.aws_caller_identity.current', ['read']],
          ['aws_vpc.main', ['no-op']],
        ],
        { api_url: ['update'], unchanged: ['no-op'] },
      ),
    );
    expect(summary.counts).toEqual({ add: 2, change: 1, destroy: 1, replace: 2 });
    expect(summary.outputChanges).toBe(1);
    expect(summary.terraformVersion).toBe('1.9.8');
    expect(summary.changes.map((c) => `${c.kind} ${c.address}`)).toEqual([
      'delete aws_db_instance.old',
      'replace aws_lb.main',
      'replace aws_lb_listener.blue',
      'create aws_sqs_queue.dlq',
      'create aws_sqs_queue.email',
      'update aws_ecs_service.api',
    ]);
    expect(summary.changes[1].reason).toBe('replace_because_cannot_update');
  });

  it('reads a plan without resource_changes as no changes', () => {
    const summary = summarisePlan({ format_version: '1.2' });
    expect(summary.counts).toEqual({ add: 0, change: 0, destroy: 0, replace: 0 });
    expect(summary.changes).toEqual([]);
  });

  it('names the source when the JSON is not a plan', () => {
    expect(() => summarisePlan([], "Input 'plan-json' (p.json)")).toThrow(
      "Input 'plan-json' (p.json) is not a Terraform plan",
    );
    expect(() => summarisePlan({ resource_changes: [] }, 'p.json')).toThrow(
      'p.json is not `terraform show -json <planfile>` output: format_version is missing',
    );
    expect(() =>
      summarisePlan({ format_version: '1.2', resource_changes: [{ address: 'a.b' }] }, 'p.json'),
    ).toThrow('p.json: resource_changes[0] needs an address and change.actions');
    expect(() => summarisePlan(planJson([['a.b', ['boom']]]), 'p.json')).toThrow(
      'p.json: a.b: unknown Terraform change actions [boom]',
    );
  });
});
