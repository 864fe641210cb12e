// The contract between the environment roots and everything that reads them: the workflows read
// one `delivery` output, every module is deployed by both environments, state keys line up with
// the CI roles' state access, and the production root is instantiable per region.
// (Schema, wiring and policy checks of the same files live in tools/terraform-check.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';

type Hcl = Record<string, unknown>;

const terraformDir = resolve(__dirname, '..');
const modulesDir = join(terraformDir, 'modules');
const platformDir = join(modulesDir, 'platform');
const roots = {
  staging: join(terraformDir, 'environments', 'staging'),
  production: join(terraformDir, 'environments', 'production'),
};

const DELIVERY_KEYS = [
  'region',
  'cluster_name',
  'api_service_name',
  'worker_service_name',
  'codedeploy_application',
  'codedeploy_deployment_group',
  'ecr_api_repository_url',
  'ecr_worker_repository_url',
  'deploy_role_arn',
  'plan_role_arn',
  'alb_url',
  'test_listener_url',
  'test_listener_security_group_id',
  'test_listener_port',
  'queue_url',
  'dlq_url',
  'api_container_name',
  'worker_container_name',
];

async function parseFile(path: string): Promise<Hcl> {
  return (await parse(path, readFileSync(path, 'utf8'))) as Hcl;
}

/** All top-level blocks of a module directory, merged by block type and label. */
async function parseModule(dir: string): Promise<Record<string, Record<string, Hcl[]>>> {
  const merged: Record<string, Record<string, Hcl[]>> = {};
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.tf'))) {
    const body = await parseFile(join(dir, file));
    for (const [blockType, byLabel] of Object.entries(body)) {
      if (blockType === 'terraform' || blockType === 'locals') continue;
      merged[blockType] ??= {};
      // resource and data blocks have two labels (type, name): key them as "type.name".
      const entries =
        blockType === 'resource' || blockType === 'data'
          ? Object.entries(byLabel as Record<string, Record<string, Hcl[]>>).flatMap(
              ([type, byName]) =>
                Object.entries(byName).map(
                  ([name, bodies]) => [`${type}.${name}`, bodies] as const,
                ),
            )
          : Object.entries(byLabel as Record<string, Hcl[]>);
      for (const [label, bodies] of entries) {
        merged[blockType][label] = [...(merged[blockType][label] ?? []), ...bodies];
      }
    }
  }
  return merged;
}

async function moduleCalls(dir: string): Promise<Map<string, Hcl>> {
  const calls = (await parseModule(dir)).module ?? {};
  return new Map(Object.entries(calls).map(([name, bodies]) => [name, bodies[0]]));
}

async function reachableModules(rootDir: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = [rootDir];
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    for (const call of (await moduleCalls(dir)).values()) {
      const target = resolve(dir, String(call.source));
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return seen;
}

async function terraformSettings(dir: string): Promise<Hcl> {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.tf'))) {
    const body = await parseFile(join(dir, file));
    if (body.terraform) return (body.terraform as Hcl[])[0];
  }
  throw new Error(`${dir} has no terraform block`);
}

describe.each(Object.entries(roots))('environment root %s', (environment, rootDir) => {
  test('composes modules only: no resources or data sources of its own', async () => {
    const blocks = await parseModule(rootDir);
    expect(blocks.resource ?? {}).toEqual({});
    expect(blocks.data ?? {}).toEqual({});
    expect(Object.keys(blocks.module ?? {})).toEqual(['platform']);
  });

  test('deploys every module under terraform/modules', async () => {
    const reached = await reachableModules(rootDir);
    const all = readdirSync(modulesDir).map((name) => join(modulesDir, name));
    expect(all.filter((dir) => !reached.has(dir))).toEqual([]);
  });

  test('publishes exactly one output, `delivery`, straight from the platform module', async () => {
    const outputs = (await parseModule(rootDir)).output ?? {};
    expect(Object.keys(outputs)).toEqual(['delivery']);
    expect(outputs.delivery[0].value).toBe('${module.platform.delivery}');
  });

  test('keeps state in S3 with native locking under the `<environment>/` prefix the CI roles may use', async () => {
    const settings = await terraformSettings(rootDir);
    const backend = (settings.backend as Record<string, Hcl[]>).s3[0];
    expect(backend.use_lockfile).toBe(true);
    expect(backend.encrypt).toBe(true);

    const backendFiles =
      environment === 'staging'
        ? [join(rootDir, 'backend.hcl')]
        : readdirSync(join(rootDir, 'backend')).map((name) => join(rootDir, 'backend', name));
    expect(backendFiles.length).toBeGreaterThan(0);
    const keys: string[] = [];
    for (const file of backendFiles) {
      const config = await parseFile(file);
      expect(String(config.key)).toMatch(new RegExp(`^${environment}/.+\\.tfstate$`));
      keys.push(String(config.key));
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('passes its environment name, which the platform turns into names and the state prefix', async () => {
    const platform = (await moduleCalls(rootDir)).get('platform') as Hcl;
    expect(platform.environment).toBe(environment);
    expect(resolve(rootDir, String(platform.source))).toBe(platformDir);
  });
});

describe('production in more than one region', () => {
  const regionsDir = join(roots.production, 'regions');
  const regionFiles = readdirSync(regionsDir).filter((name) => name.endsWith('.tfvars'));

  test('has a tfvars file and a backend file per region, at least us-east-1 and us-west-2', () => {
    const regions = regionFiles.map((name) => basename(name, '.tfvars'));
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2']));
    for (const region of regions) {
      expect(existsSync(join(roots.production, 'backend', `${region}.hcl`))).toBe(true);
    }
  });

  test.each(regionFiles)('%s sets its own region, state key and VPC range', async (file) => {
    const region = basename(file, '.tfvars');
    const vars = await parseFile(join(regionsDir, file));
    const backend = await parseFile(join(roots.production, 'backend', `${region}.hcl`));
    expect(vars.region).toBe(region);
    expect(backend.key).toBe(`production/${region}/terraform.tfstate`);
    expect(typeof vars.vpc_cidr).toBe('string');
  });

  test('regions do not share a VPC range (they stay peerable)', async () => {
    const cidrs = await Promise.all(
      regionFiles.map(async (file) => (await parseFile(join(regionsDir, file))).vpc_cidr),
    );
    expect(new Set(cidrs).size).toBe(cidrs.length);
  });

  test('creates the account-global OIDC provider only in the primary region', async () => {
    const platform = (await moduleCalls(roots.production)).get('platform') as Hcl;
    expect(platform.create_github_oidc_provider).toBe(
      '${local.is_primary_region && var.create_github_oidc_provider}',
    );
    expect(platform.region_suffix).toBe('${local.region_suffix}');
  });
});

describe('platform module', () => {
  test('`delivery` carries every field the workflows read', async () => {
    const outputs = (await parseModule(platformDir)).output;
    const delivery = outputs.delivery[0].value as Hcl;
    expect(Object.keys(delivery)).toEqual(expect.arrayContaining(DELIVERY_KEYS));
  });

  test('names the containers `api` and `worker`, as the deploy pipeline expects', async () => {
    const calls = await moduleCalls(platformDir);
    expect(calls.get('api')?.container_name).toBe('api');
    expect(calls.get('worker')?.container_name).toBe('worker');
  });

  test.each(['api', 'worker'])(
    "the %s's shutdown drain ends before ECS's SIGKILL at stop_timeout",
    async (service) => {
      const call = (await moduleCalls(platformDir)).get(service) as Hcl;
      const env = call.environment as Hcl;
      const stopTimeoutMs = Number(call.stop_timeout) * 1000;
      expect(Number(env.SHUTDOWN_TIMEOUT_MS)).toBeLessThan(stopTimeoutMs);
      expect(Number(call.stop_timeout)).toBeLessThanOrEqual(120);
    },
  );

  test("the worker's redrive and visibility settings come from the queue, not a second copy", async () => {
    const env = (await moduleCalls(platformDir)).get('worker')?.environment as Hcl;
    expect(env.MAX_RECEIVE_COUNT).toBe('${tostring(module.queue.max_receive_count)}');
    expect(env.VISIBILITY_TIMEOUT_SECONDS).toBe(
      '${tostring(module.queue.visibility_timeout_seconds)}',
    );
  });

  test('the API is blue/green through CodeDeploy and the worker rolls with alarm rollback', async () => {
    const calls = await moduleCalls(platformDir);
    expect(calls.get('api')?.deployment_controller).toBe('CODE_DEPLOY');
    expect(calls.get('worker')?.deployment_controller).toBe('ECS');
    expect(calls.get('worker')?.deployment_alarm_names).toBe(
      '${module.monitoring.worker_deployment_alarm_names}',
    );
    expect(calls.get('codedeploy')?.alarm_names).toBe(
      '${module.monitoring.api_deployment_alarm_names}',
    );
  });
});

describe('HTTPS needs a domain', () => {
  const takers = [roots.staging, roots.production, platformDir];

  test('every root and module that takes certificate_arn and api_domain_name is listed', async () => {
    const found: string[] = [];
    for (const dir of [
      roots.staging,
      roots.production,
      ...readdirSync(modulesDir).map((m) => join(modulesDir, m)),
    ]) {
      const variables = (await parseModule(dir)).variable ?? {};
      if (variables.certificate_arn && variables.api_domain_name) found.push(dir);
    }
    expect(found.sort()).toEqual([...takers].sort());
  });

  // A certificate never covers *.elb.amazonaws.com, the URL published without a domain.
  test.each(takers.map((dir) => [basename(dir), dir]))(
    '%s requires api_domain_name whenever certificate_arn is set',
    async (_name, dir) => {
      const variables = (await parseModule(dir)).variable;
      const validations = (variables.api_domain_name[0].validation ?? []) as Hcl[];
      const conditions = validations.map((validation) => validation.condition);
      expect(conditions).toContain('${var.certificate_arn == null || var.api_domain_name != null}');
      const rule = validations.find((v) => String(v.condition).includes('certificate_arn'));
      expect(rule?.error_message).toMatch(
        /api_domain_name is required when certificate_arn is set/,
      );
    },
  );
});
