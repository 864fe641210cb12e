// The blue/green contract between the load-balancer, ecs-service and codedeploy modules: what
// CodeDeploy rewrites, Terraform must ignore; what the pipeline waits for, the group must do.
// Read from the modules' own HCL (HashiCorp's parser), so a careless edit fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';

type Hcl = Record<string, unknown>;

const modulesDir = join(__dirname, '..', '..');

async function loadModule(name: string): Promise<Hcl> {
  const dir = join(modulesDir, name);
  const merged: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const body = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Hcl;
    for (const [kind, byType] of Object.entries(body)) {
      merged[kind] ??= {};
      for (const [type, value] of Object.entries(byType as Hcl)) {
        merged[kind][type] = { ...(merged[kind][type] ?? {}), ...(value as Hcl) };
      }
    }
  }
  return merged;
}

/** The one body of `resource "<type>" "<name>"` (blocks parse as arrays). */
function resource(module: Hcl, type: string, name: string): Hcl {
  const byType = (module.resource as Record<string, Record<string, Hcl[]>>)[type];
  const bodies = byType?.[name];
  if (!bodies) throw new Error(`resource ${type}.${name} not found`);
  return bodies[0];
}

function block(body: Hcl, name: string): Hcl {
  const blocks = body[name] as Hcl[] | undefined;
  if (!blocks) throw new Error(`block ${name} not found`);
  return blocks[0];
}

function variableDefault(module: Hcl, name: string): unknown {
  return ((module.variable as Record<string, Hcl[]>)[name][0] as Hcl).default;
}

describe('load-balancer', () => {
  let lb: Hcl;
  beforeAll(async () => {
    lb = await loadModule('load-balancer');
  });

  test.each(['prod', 'test'])(
    'the %s listener starts on blue and then leaves default_action to CodeDeploy',
    (listener) => {
      const body = resource(lb, 'aws_lb_listener', listener);
      expect(block(body, 'default_action')).toMatchObject({
        type: 'forward',
        target_group_arn: '${aws_lb_target_group.this["blue"].arn}',
      });
      expect(block(body, 'lifecycle').ignore_changes).toEqual(['${default_action}']);
    },
  );

  test('blue and green target groups take Fargate IPs and check readiness', () => {
    const groups = resource(lb, 'aws_lb_target_group', 'this');
    expect(groups.for_each).toBe('${toset(["blue", "green"])}');
    expect(groups.target_type).toBe('ip');
    expect(variableDefault(lb, 'health_check')).toEqual({});
    const healthCheckType = String((lb.variable as Record<string, Hcl[]>).health_check[0].type);
    expect(healthCheckType).toContain('path                = optional(string, "/readyz")');
  });

  test('drops invalid headers and defaults to a TLS 1.2+ policy', () => {
    expect(resource(lb, 'aws_lb', 'this').drop_invalid_header_fields).toBe(true);
    expect(variableDefault(lb, 'ssl_policy')).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
  });
});

describe('ecs-service', () => {
  let service: Hcl;
  beforeAll(async () => {
    service = await loadModule('ecs-service');
  });

  test('a CODE_DEPLOY service ignores what CodeDeploy and autoscaling change', () => {
    const body = resource(service, 'aws_ecs_service', 'blue_green');
    expect(body.count).toBe('${var.deployment_controller == "CODE_DEPLOY" ? 1 : 0}');
    expect(block(body, 'deployment_controller').type).toBe('CODE_DEPLOY');
    expect(block(body, 'lifecycle').ignore_changes).toEqual([
      '${task_definition}',
      '${load_balancer}',
      '${desired_count}',
    ]);
    // Neither is supported by ECS on CODE_DEPLOY services.
    expect(body).not.toHaveProperty('deployment_circuit_breaker');
    expect(body).not.toHaveProperty('service_connect_configuration');
    expect(body.dynamic ?? {}).not.toHaveProperty('service_connect_configuration');
  });

  test('an ECS rolling service rolls back on failure and on alarms, and may join Service Connect', () => {
    const body = resource(service, 'aws_ecs_service', 'this');
    expect(block(body, 'deployment_controller').type).toBe('ECS');
    expect(block(body, 'deployment_circuit_breaker')).toEqual({ enable: true, rollback: true });
    const dynamic = body.dynamic as Record<string, Hcl[]>;
    expect(block(dynamic.alarms[0], 'content')).toMatchObject({ enable: true, rollback: true });
    expect(dynamic.service_connect_configuration[0].for_each).toBe(
      '${local.service_connect_enabled ? [1] : []}',
    );
    expect(block(body, 'lifecycle').ignore_changes).toContain('${desired_count}');
  });

  test.each(['this', 'blue_green'])('service %s gets no public IP', (name) => {
    const body = resource(service, 'aws_ecs_service', name);
    expect(block(body, 'network_configuration').assign_public_ip).toBe(false);
  });

  test('the container is hardened: read-only root filesystem, not privileged, non-root', () => {
    const container = (service.locals as Hcl[])[0].container_definition as Hcl;
    expect(container).toMatchObject({
      readonlyRootFilesystem: true,
      privileged: false,
      user: '${var.container_user}',
      mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
    });
    expect(variableDefault(service, 'container_user')).toBe('node');
  });
});

describe('codedeploy', () => {
  let codedeploy: Hcl;
  beforeAll(async () => {
    codedeploy = await loadModule('codedeploy');
  });

  test('blue/green with traffic control between the two target groups and both routes', () => {
    const group = resource(codedeploy, 'aws_codedeploy_deployment_group', 'this');
    expect(block(group, 'deployment_style')).toEqual({
      deployment_type: 'BLUE_GREEN',
      deployment_option: 'WITH_TRAFFIC_CONTROL',
    });
    const pair = block(block(group, 'load_balancer_info'), 'target_group_pair_info');
    expect(block(pair, 'prod_traffic_route').listener_arns).toEqual(['${var.prod_listener_arn}']);
    expect(block(pair, 'test_traffic_route').listener_arns).toEqual(['${var.test_listener_arn}']);
    expect(pair.target_group).toEqual([
      { name: '${var.blue_target_group_name}' },
      { name: '${var.green_target_group_name}' },
    ]);
  });

  test('waits at Ready and stops (rolls back) when nobody continues; no wait means continue', () => {
    const group = resource(codedeploy, 'aws_codedeploy_deployment_group', 'this');
    const ready = block(block(group, 'blue_green_deployment_config'), 'deployment_ready_option');
    expect(ready.action_on_timeout).toBe(
      '${local.wait_at_ready ? "STOP_DEPLOYMENT" : "CONTINUE_DEPLOYMENT"}',
    );
    expect(String((codedeploy.locals as Hcl[])[0].wait_at_ready)).toBe(
      '${var.ready_wait_time_in_minutes > 0}',
    );
    const rollback = block(group, 'auto_rollback_configuration');
    expect(rollback.enabled).toBe(true);
    expect(String(rollback.events)).toContain('"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"');
  });

  test('accepts exactly the predefined ECS deployment configurations', () => {
    const validation = (
      (codedeploy.variable as Record<string, Hcl[]>).deployment_config_name[0].validation as Hcl[]
    )[0];
    const names = [...String(validation.condition).matchAll(/"(CodeDeployDefault\.[A-Za-z0-9]+)"/g)]
      .map((match) => match[1])
      .sort();
    expect(names).toEqual([
      'CodeDeployDefault.ECSAllAtOnce',
      'CodeDeployDefault.ECSCanary10Percent15Minutes',
      'CodeDeployDefault.ECSCanary10Percent5Minutes',
      'CodeDeployDefault.ECSLinear10PercentEvery1Minutes',
      'CodeDeployDefault.ECSLinear10PercentEvery3Minutes',
    ]);
  });
});
