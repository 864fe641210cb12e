// Security policy checks mirroring checkov/trivy rules (ids in the messages). A deliberate
// exception is annotated next to the code (see policy-exceptions.ts).
import { isExpression, jsonencodeArgument, literalOf } from './expressions.ts';
import type { Finding } from './findings.ts';
import type { HclObject, HclValue } from './hcl-files.ts';
import { blockList, isHclObject } from './hcl-files.ts';
import { collectStatements } from './iam-statements.ts';
import type { Declaration, TerraformModule } from './module-model.ts';
import { findException } from './policy-exceptions.ts';
import type { PathStep } from './source-map.ts';

const SECRET_LOOKING_NAME = /(secret|passw(or)?d|token|api[_-]?key|private[_-]?key|credential)/i;
const TLS12_POLICY = /TLS13|TLS-1-2|TLS12|FS-1-2/;
const INSIGHTS_ON = new Set(['enabled', 'enhanced']);

interface Candidate {
  check: string;
  file: Declaration['file'];
  line?: number;
  message: string;
}

export async function checkPolicies(module: TerraformModule): Promise<Finding[]> {
  const candidates: Candidate[] = [];
  const flag = (
    declaration: Declaration,
    check: string,
    message: string,
    path: PathStep[] = [],
  ): void => {
    const located = declaration.range
      ? declaration.file.source.locate(declaration.range, path)
      : undefined;
    candidates.push({
      check,
      file: declaration.file,
      line: located?.start ?? declaration.range?.start,
      message: `${declaration.kind === 'module' ? 'module' : declaration.type}.${declaration.name}: ${message}`,
    });
  };

  for (const statement of await collectStatements(module)) {
    if (statement.effect !== 'Allow') continue;
    const wildcardAction = statement.actions.find((action) => action === '*' || action === '*:*');
    if (wildcardAction) {
      candidates.push({
        check: 'CKV_AWS_63',
        file: statement.file,
        line: statement.actionsLine,
        message: `${statement.label}: allows action "${wildcardAction}"; list the actions needed`,
      });
    }
    if (!statement.hasPrincipal && statement.resources.includes('*')) {
      candidates.push({
        check: 'CKV_AWS_355',
        file: statement.file,
        line: statement.resourcesLine,
        message:
          `${statement.label}: resource "*" for ${statement.actions.join(', ') || 'its actions'}; name the ` +
          'resources, or annotate `# policy-exception: CKV_AWS_355 <why>` when the actions support only "*"',
      });
    }
    if (statement.actions.some((action) => /^sts:AssumeRoleWithWebIdentity$/i.test(action))) {
      const sub = statement.conditions.filter((condition) => condition.variable.endsWith(':sub'));
      const pinned =
        sub.length > 0 &&
        sub.every((condition) => {
          const values = condition.values.flatMap((value) => expandLocals(value, module, 0));
          return values.length > 0 && values.every(isPinnedSubject);
        });
      if (!pinned) {
        candidates.push({
          check: 'CKV_AWS_358',
          file: statement.file,
          line: statement.actionsLine,
          message:
            `${statement.label}: web-identity trust must pin "token.actions.githubusercontent.com:sub" ` +
            'to `repo:<owner>/<repo>:...` values',
        });
      }
    }
  }

  for (const resource of module.resources) {
    const body = resource.body;
    switch (resource.type) {
      case 'aws_sqs_queue': {
        const kms = body.kms_master_key_id;
        const sse = body.sqs_managed_sse_enabled;
        const encrypted = (kms !== undefined && kms !== null) || sse === true || isExpression(sse);
        if (!encrypted) {
          flag(
            resource,
            'CKV_AWS_27',
            'not encrypted: set sqs_managed_sse_enabled = true or kms_master_key_id',
            [{ name: 'sqs_managed_sse_enabled' }],
          );
        }
        break;
      }
      case 'aws_ecr_repository': {
        const mutability = body.image_tag_mutability;
        if (!(
          isExpression(mutability) ||
          (typeof mutability === 'string' && mutability.startsWith('IMMUTABLE'))
        )) {
          flag(resource, 'CKV_AWS_51', 'image tags must be IMMUTABLE (image_tag_mutability)', [
            { name: 'image_tag_mutability' },
          ]);
        }
        const scanOnPush = blockList(body.image_scanning_configuration)[0]?.scan_on_push;
        if (!(scanOnPush === true || isExpression(scanOnPush))) {
          flag(
            resource,
            'CKV_AWS_163',
            'image_scanning_configuration { scan_on_push = true } is required',
            [{ name: 'image_scanning_configuration' }],
          );
        }
        break;
      }
      case 'aws_lb':
      case 'aws_alb': {
        const type = body.load_balancer_type;
        if (type !== undefined && type !== 'application') break;
        if (!isTrueOrExpression(body.drop_invalid_header_fields)) {
          flag(resource, 'CKV_AWS_131', 'set drop_invalid_header_fields = true', [
            { name: 'drop_invalid_header_fields' },
          ]);
        }
        if (!hasEnabledBlock(body, 'access_logs')) {
          flag(resource, 'CKV_AWS_91', 'access_logs { enabled = true, bucket = ... } is required', [
            { name: 'access_logs' },
          ]);
        }
        break;
      }
      case 'aws_lb_listener':
      case 'aws_alb_listener': {
        const protocol = body.protocol;
        const policy = body.ssl_policy;
        const https =
          protocol === 'HTTPS' ||
          protocol === 'TLS' ||
          (isExpression(protocol) && policy !== undefined);
        if (
          https &&
          !(isExpression(policy) || (typeof policy === 'string' && TLS12_POLICY.test(policy)))
        ) {
          flag(
            resource,
            'CKV_AWS_103',
            'HTTPS listener needs a TLS 1.2+ ssl_policy (e.g. ELBSecurityPolicy-TLS13-1-2-2021-06)',
            [{ name: 'ssl_policy' }],
          );
        }
        break;
      }
      case 'aws_ecs_cluster': {
        const settings = [...blockList(body.setting), ...dynamicContents(body, 'setting')];
        const insights = settings.find((setting) => setting.name === 'containerInsights');
        const on =
          insights !== undefined &&
          (isExpression(insights.value) ||
            (typeof insights.value === 'string' && INSIGHTS_ON.has(insights.value)));
        if (!on) {
          flag(
            resource,
            'CKV_AWS_65',
            'Container Insights must be on: setting { name = "containerInsights", value = "enabled" }',
            [{ name: 'setting' }],
          );
        }
        break;
      }
      case 'aws_ecs_service': {
        const networks = [
          ...blockList(body.network_configuration),
          ...dynamicContents(body, 'network_configuration'),
        ];
        if (networks.some((network) => network.assign_public_ip === true)) {
          flag(
            resource,
            'CKV_AWS_333',
            'assign_public_ip must be false (tasks run in private subnets)',
            [{ name: 'network_configuration' }, { name: 'assign_public_ip' }],
          );
        }
        break;
      }
      case 'aws_ecs_task_definition':
        await checkContainers(resource, module, flag);
        break;
      case 'aws_cloudwatch_log_group': {
        const retention = body.retention_in_days;
        if (retention === undefined || retention === null || retention === 0) {
          flag(resource, 'CKV_AWS_66', 'set retention_in_days (logs are kept forever otherwise)', [
            { name: 'retention_in_days' },
          ]);
        }
        break;
      }
      case 'aws_vpc': {
        const logged = module.resources.some(
          (other) =>
            other.type === 'aws_flow_log' &&
            mentions(other.body.vpc_id, `aws_vpc.${resource.name}`),
        );
        if (!logged)
          flag(resource, 'CKV2_AWS_11', 'no aws_flow_log in this module captures this VPC');
        break;
      }
      case 'aws_s3_bucket':
        checkBucket(resource, module, flag);
        break;
      default:
        break;
    }
  }

  for (const call of module.moduleCalls) {
    const environment = call.body.environment;
    if (!isHclObject(environment)) continue;
    for (const name of Object.keys(environment)) {
      if (SECRET_LOOKING_NAME.test(name)) {
        flag(
          call,
          'AWS-0036',
          `environment variable "${name}" looks like a secret; pass it as a secret ARN`,
          [{ name: 'environment' }],
        );
      }
    }
  }

  const findings: Finding[] = [];
  for (const candidate of candidates) {
    const exception = findException(candidate.file, candidate.line, candidate.check);
    if (exception.excepted) continue;
    findings.push({
      file: candidate.file.path,
      line: candidate.line,
      check: candidate.check,
      message: exception.missingReason
        ? `${candidate.message} (the policy-exception annotation above needs a reason)`
        : candidate.message,
    });
  }
  return findings;
}

/** `repo:<owner>/<repo>:...` with no wildcard in owner or repository (a variable is fine). */
function isPinnedSubject(value: string): boolean {
  const match = /^repo:([^:]+):\S/.exec(value);
  return (
    match !== null && !match[1].includes('*') && (match[1].includes('/') || match[1].includes('${'))
  );
}

/** Follows `local.x` references in a condition value to the strings they hold (bounded depth). */
function expandLocals(value: string, module: TerraformModule, depth: number): string[] {
  if (!isExpression(value) || depth > 4) return [value];
  const names = [...value.matchAll(/\blocal\.([\w-]+)/g)].map((match) => match[1]);
  const whole = /^\$\{local\.[\w-]+\}$/.test(value);
  if (names.length === 0 || (!whole && !/^\$\{[^"]*\}$/.test(value))) return [value];
  return names.flatMap((name) => {
    const local = module.locals.find((l) => l.name === name);
    if (!local) return [value];
    const held = Array.isArray(local.value) ? local.value : [local.value];
    return held.flatMap((item) =>
      typeof item === 'string' ? expandLocals(item, module, depth + 1) : [],
    );
  });
}

type Flag = (declaration: Declaration, check: string, message: string, path?: PathStep[]) => void;

function isTrueOrExpression(value: HclValue | undefined): boolean {
  return value === true || isExpression(value);
}

function dynamicContents(body: HclObject, name: string): HclObject[] {
  const dynamic = isHclObject(body.dynamic) ? body.dynamic : {};
  return blockList(dynamic[name]).flatMap((block) => blockList(block.content));
}

function hasEnabledBlock(body: HclObject, name: string): boolean {
  if (dynamicContents(body, name).length > 0) return true;
  const blocks = blockList(body[name]);
  return blocks.length > 0 && blocks.every((block) => block.enabled !== false);
}

function mentions(value: HclValue | undefined, address: string): boolean {
  if (typeof value !== 'string') return false;
  return value.includes(`${address}.`) || value.includes(`${address}[`);
}

function checkBucket(bucket: Declaration, module: TerraformModule, flag: Flag): void {
  const companions = (type: string): HclObject[] =>
    module.resources
      .filter(
        (other) =>
          other.type === type && mentions(other.body.bucket, `aws_s3_bucket.${bucket.name}`),
      )
      .map((other) => other.body);
  if (companions('aws_s3_bucket_server_side_encryption_configuration').length === 0) {
    flag(
      bucket,
      'CKV_AWS_145',
      'no aws_s3_bucket_server_side_encryption_configuration for this bucket',
    );
  }
  const versioning = companions('aws_s3_bucket_versioning');
  const enabled = versioning.some((v) =>
    blockList(v.versioning_configuration).some(
      (c) => c.status === 'Enabled' || isExpression(c.status),
    ),
  );
  if (!enabled)
    flag(bucket, 'CKV_AWS_21', 'no aws_s3_bucket_versioning with status "Enabled" for this bucket');
  const blocks = companions('aws_s3_bucket_public_access_block');
  const settings = [
    'block_public_acls',
    'block_public_policy',
    'ignore_public_acls',
    'restrict_public_buckets',
  ];
  const blocked = blocks.some((b) => settings.every((setting) => isTrueOrExpression(b[setting])));
  if (!blocked) {
    flag(
      bucket,
      'CKV2_AWS_6',
      'no aws_s3_bucket_public_access_block with all four settings true for this bucket',
    );
  }
}

/** readonlyRootFilesystem, privileged and environment names in container_definitions. */
async function checkContainers(
  task: Declaration,
  module: TerraformModule,
  flag: Flag,
): Promise<void> {
  const path: PathStep[] = [{ name: 'container_definitions' }];
  const containers = await containerList(task.body.container_definitions, module);
  if (!containers) {
    flag(
      task,
      'CKV_AWS_336',
      'cannot read container_definitions to verify readonlyRootFilesystem/privileged: write it as ' +
        'jsonencode([{ ... }]) (or jsonencode(local.x) of such a literal)',
      path,
    );
    return;
  }
  for (const container of containers) {
    const name = typeof container.name === 'string' ? container.name : '(unnamed)';
    if (container.readonlyRootFilesystem !== true) {
      flag(task, 'CKV_AWS_336', `container ${name}: readonlyRootFilesystem must be true`, path);
    }
    if (container.privileged === true)
      flag(task, 'CKV_AWS_334', `container ${name}: privileged must not be true`, path);
    const environment = Array.isArray(container.environment)
      ? container.environment.filter(isHclObject)
      : [];
    for (const variable of environment) {
      if (typeof variable.name === 'string' && SECRET_LOOKING_NAME.test(variable.name)) {
        flag(
          task,
          'AWS-0036',
          `container ${name}: environment "${variable.name}" looks like a secret; use secrets`,
          path,
        );
      }
    }
  }
}

async function containerList(
  value: HclValue | undefined,
  module: TerraformModule,
): Promise<HclObject[] | undefined> {
  const list = await resolveLocals(await jsonencodeArgument(value), module);
  if (!Array.isArray(list)) return undefined;
  const containers: HclObject[] = [];
  for (const item of list) {
    const container = await resolveLocals(item, module);
    if (!isHclObject(container)) return undefined;
    containers.push(container);
  }
  return containers;
}

/** `${local.x}` -> the local's literal value (one level), so containers can be kept in locals. */
async function resolveLocals(
  value: HclValue | undefined,
  module: TerraformModule,
): Promise<HclValue | undefined> {
  if (typeof value !== 'string') return value;
  const name = /^\$\{local\.([\w-]+)\}$/.exec(value)?.[1];
  const local = name === undefined ? undefined : module.locals.find((l) => l.name === name);
  if (!local) return value;
  if (typeof local.value === 'string' && isExpression(local.value)) {
    return literalOf(local.value.slice(2, -1));
  }
  return local.value;
}
