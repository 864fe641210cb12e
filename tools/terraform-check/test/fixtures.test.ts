// Each check fails on a small broken fixture (and only with the finding it is about), and a
// complete valid fixture passes every check.
import { join } from 'node:path';
import { checkTerraformTree } from '../src/check-tree.ts';
import { formatFinding, type Finding } from '../src/findings.ts';
import { policyRules } from '../src/policies/registry.ts';
import { loadSchemaSnapshot } from '../src/schema.ts';

const fixtures = join(__dirname, 'fixtures');
const snapshot = loadSchemaSnapshot(
  join(__dirname, '..', '..', '..', 'terraform', 'schema', 'aws-provider-schema.json'),
);

async function findingsOf(fixture: string): Promise<Finding[]> {
  return (await checkTerraformTree(join(fixtures, fixture), snapshot)).findings;
}

interface Expected {
  check: string;
  file: string;
  line?: number;
  message: string | RegExp;
}

const cases: [fixture: string, expected: Expected[]][] = [
  [
    'waf-off-by-default',
    [
      {
        check: 'CKV2_AWS_28',
        file: 'waf-off-by-default/main.tf',
        line: 12,
        message: 'aws_lb.this: internet-facing without a WAF web ACL',
      },
      {
        check: 'CKV2_AWS_31',
        file: 'waf-off-by-default/main.tf',
        line: 47,
        message: 'aws_wafv2_web_acl.unlogged: no aws_wafv2_web_acl_logging_configuration',
      },
    ],
  ],
  [
    'waf-statements',
    [
      {
        check: 'schema',
        file: 'waf-statements/main.tf',
        line: 19,
        message: '"statement" in rule is a block: write `statement { ... }`',
      },
      {
        check: 'schema',
        file: 'waf-statements/main.tf',
        line: 79,
        message:
          'missing required argument "search_string" in statement.and_statement.statement.and_statement.statement.byte_match_statement',
      },
      {
        check: 'schema',
        file: 'waf-statements/main.tf',
        line: 81,
        message: 'unknown argument or block "search_strin"',
      },
    ],
  ],
  [
    'misspelled-argument',
    [
      {
        check: 'schema',
        file: 'misspelled-argument/main.tf',
        line: 4,
        message:
          'unknown argument or block "visibilty_timeout_seconds" (did you mean "visibility_timeout_seconds"?)',
      },
    ],
  ],
  [
    'missing-required-argument',
    [
      {
        check: 'schema',
        file: 'missing-required-argument/main.tf',
        line: 1,
        message: 'missing required argument "assume_role_policy"',
      },
    ],
  ],
  [
    'missing-required-block',
    [
      {
        check: 'schema',
        file: 'missing-required-block/main.tf',
        line: 1,
        message: 'missing required block "versioning_configuration"',
      },
    ],
  ],
  [
    'missing-required-in-dynamic',
    [
      {
        check: 'schema',
        file: 'missing-required-in-dynamic/main.tf',
        line: 11,
        message: 'missing required argument "rollback" in alarms.content',
      },
    ],
  ],
  [
    'argument-written-as-block',
    [
      {
        check: 'schema',
        file: 'argument-written-as-block/main.tf',
        line: 5,
        message: '"tags" is an argument, not a block',
      },
    ],
  ],
  [
    'duplicate-declaration',
    [
      {
        check: 'conventions',
        file: 'duplicate-declaration/variables.tf',
        line: 1,
        message: 'variable.name is declared twice (first at duplicate-declaration/main.tf:1)',
      },
    ],
  ],
  [
    'unknown-nested-block',
    [
      {
        check: 'schema',
        file: 'unknown-nested-block/main.tf',
        line: 4,
        message: 'unknown argument or block "network_config"',
      },
    ],
  ],
  [
    'unknown-resource-type',
    [
      {
        check: 'schema',
        file: 'unknown-resource-type/main.tf',
        line: 1,
        message: /"aws_sqs_queues" is not in the schema snapshot.*npm run terraform:schema/,
      },
    ],
  ],
  [
    'undeclared-variable',
    [
      {
        check: 'references',
        file: 'undeclared-variable/main.tf',
        line: 2,
        message: 'var.log_group_name is not a declared variable',
      },
    ],
  ],
  [
    'unknown-reference',
    [
      {
        check: 'references',
        file: 'unknown-reference/main.tf',
        line: 2,
        message: 'local.prefix is not defined',
      },
      {
        check: 'references',
        file: 'unknown-reference/main.tf',
        line: 4,
        message: 'aws_kms_key.logs is not a resource declared',
      },
    ],
  ],
  [
    'unknown-attribute',
    [
      {
        check: 'AWS-0053',
        file: 'unknown-attribute/main.tf',
        line: 1,
        message: 'internet-facing',
      },
      {
        check: 'CKV2_AWS_28',
        file: 'unknown-attribute/main.tf',
        line: 1,
        message: 'without a WAF web ACL',
      },
      {
        check: 'references',
        file: 'unknown-attribute/main.tf',
        line: 29,
        message: 'aws_lb has no attribute "dns"',
      },
      {
        check: 'references',
        file: 'unknown-attribute/main.tf',
        line: 34,
        message: 'aws_subnet has no attribute "arnn"',
      },
    ],
  ],
  [
    'tfvars-undeclared',
    [
      {
        check: 'tfvars',
        file: 'tfvars-undeclared/regions/us-west-2.tfvars',
        line: 2,
        message: '"vpc_cdr" is not a variable of tfvars-undeclared',
      },
    ],
  ],
  [
    'unknown-module-output',
    [
      {
        check: 'references',
        file: 'unknown-module-output/root/main.tf',
        line: 7,
        message: 'module "m" (unknown-module-output/modules/m) has no output "identifier"',
      },
    ],
  ],
  [
    'module-call-variables',
    [
      {
        check: 'module-wiring',
        file: 'module-call-variables/root/main.tf',
        line: 1,
        message: 'does not pass required variable "name"',
      },
      {
        check: 'module-wiring',
        file: 'module-call-variables/root/main.tf',
        line: 4,
        message: 'passes "nmae", which module-call-variables/modules/m does not declare',
      },
    ],
  ],
  [
    'wildcard-iam-action',
    [
      {
        check: 'CKV_AWS_63',
        file: 'wildcard-iam-action/main.tf',
        line: 3,
        message: 'allows action "*"',
      },
    ],
  ],
  [
    'wildcard-resource',
    [
      {
        check: 'CKV_AWS_355',
        file: 'wildcard-resource/main.tf',
        line: 14,
        message: 'policy statement #2: resource "*" for sqs:DeleteMessage',
      },
    ],
  ],
  [
    'exception-without-reason',
    [
      {
        check: 'CKV_AWS_355',
        file: 'exception-without-reason/main.tf',
        line: 6,
        message: 'annotation above needs a reason',
      },
      {
        check: 'CKV_AWS_355',
        file: 'exception-without-reason/main.tf',
        line: 12,
        message: 'annotated for checkov but not for trivy: add #trivy:ignore:AVD-AWS-0057',
      },
    ],
  ],
  [
    'unencrypted-sqs',
    [
      {
        check: 'AWS-0135',
        file: 'unencrypted-sqs/main.tf',
        line: 1,
        message: 'no customer-managed key',
      },
      { check: 'CKV_AWS_27', file: 'unencrypted-sqs/main.tf', line: 1, message: 'not encrypted' },
    ],
  ],
  [
    'ecs-public-ip',
    [
      {
        check: 'CKV_AWS_333',
        file: 'ecs-public-ip/main.tf',
        line: 6,
        message: 'assign_public_ip must be false',
      },
    ],
  ],
  [
    'missing-description',
    [
      {
        check: 'conventions',
        file: 'missing-description/main.tf',
        line: 1,
        message: 'variable "name" needs a description',
      },
      {
        check: 'conventions',
        file: 'missing-description/main.tf',
        line: 5,
        message: 'output "name" needs a description',
      },
    ],
  ],
  [
    'syntax-error',
    [
      {
        check: 'syntax',
        file: 'syntax-error/main.tf',
        line: 4,
        message: 'syntax error: Invalid expression',
      },
    ],
  ],
  [
    'missing-versions',
    [{ check: 'versions', file: 'missing-versions/versions.tf', message: 'missing' }],
  ],
  [
    'provider-range-excludes-snapshot',
    [
      {
        check: 'versions',
        file: 'provider-range-excludes-snapshot/versions.tf',
        message: `"~> 5.0" excludes ${snapshot.providerVersion}`,
      },
    ],
  ],
  [
    'ecr-mutable',
    [
      {
        check: 'AWS-0033',
        file: 'ecr-mutable/main.tf',
        line: 1,
        message: 'no customer-managed key',
      },
      { check: 'CKV_AWS_163', file: 'ecr-mutable/main.tf', line: 1, message: 'scan_on_push' },
      { check: 'CKV_AWS_51', file: 'ecr-mutable/main.tf', line: 3, message: 'IMMUTABLE' },
    ],
  ],
  [
    'alb-insecure',
    [
      {
        check: 'AWS-0053',
        file: 'alb-insecure/main.tf',
        line: 1,
        message: 'internet-facing',
      },
      {
        check: 'CKV2_AWS_28',
        file: 'alb-insecure/main.tf',
        line: 1,
        message: 'without a WAF web ACL',
      },
      { check: 'CKV_AWS_91', file: 'alb-insecure/main.tf', line: 1, message: 'access_logs' },
      {
        check: 'CKV_AWS_131',
        file: 'alb-insecure/main.tf',
        line: 1,
        message: 'drop_invalid_header_fields',
      },
      {
        check: 'CKV_AWS_103',
        file: 'alb-insecure/main.tf',
        line: 10,
        message: 'TLS 1.2+ ssl_policy',
      },
    ],
  ],
  [
    'ecs-insecure-containers',
    [
      {
        check: 'CKV_AWS_158',
        file: 'ecs-insecure-containers/main.tf',
        line: 15,
        message: 'no customer-managed key',
      },
      {
        check: 'CKV_AWS_65',
        file: 'ecs-insecure-containers/main.tf',
        line: 1,
        message: 'Container Insights',
      },
      {
        check: 'AWS-0036',
        file: 'ecs-insecure-containers/main.tf',
        line: 7,
        message: '"DB_PASSWORD" looks like a secret',
      },
      {
        check: 'CKV_AWS_334',
        file: 'ecs-insecure-containers/main.tf',
        line: 7,
        message: 'privileged must not be true',
      },
      {
        check: 'CKV_AWS_336',
        file: 'ecs-insecure-containers/main.tf',
        line: 7,
        message: 'readonlyRootFilesystem must be true',
      },
      {
        check: 'CKV_AWS_66',
        file: 'ecs-insecure-containers/main.tf',
        line: 15,
        message: 'retention_in_days',
      },
    ],
  ],
  [
    'module-secret-environment',
    [
      {
        check: 'AWS-0036',
        file: 'module-secret-environment/root/main.tf',
        line: 4,
        message: 'module.svc: environment variable "DB_PASSWORD" looks like a secret',
      },
    ],
  ],
  [
    'vpc-and-bucket-unprotected',
    [
      {
        check: 'CKV_AWS_18',
        file: 'vpc-and-bucket-unprotected/main.tf',
        line: 5,
        message: 'no aws_s3_bucket_logging',
      },
      {
        check: 'CKV2_AWS_11',
        file: 'vpc-and-bucket-unprotected/main.tf',
        line: 1,
        message: 'no aws_flow_log',
      },
      {
        check: 'CKV2_AWS_6',
        file: 'vpc-and-bucket-unprotected/main.tf',
        line: 5,
        message: 'public_access_block',
      },
      {
        check: 'CKV_AWS_145',
        file: 'vpc-and-bucket-unprotected/main.tf',
        line: 5,
        message: 'server_side_encryption',
      },
      {
        check: 'CKV_AWS_21',
        file: 'vpc-and-bucket-unprotected/main.tf',
        line: 5,
        message: 'versioning',
      },
    ],
  ],
  [
    'az-and-cluster-races',
    [
      {
        check: 'NOTIFY_AZ_OPT_IN',
        file: 'az-and-cluster-races/main.tf',
        line: 1,
        message: 'opt-in-not-required',
      },
      {
        check: 'NOTIFY_ECS_CLUSTER_READY',
        file: 'az-and-cluster-races/main.tf',
        line: 19,
        message: 'output.name: comes from aws_ecs_cluster.this alone',
      },
    ],
  ],
  [
    'read-only-reads-data',
    [
      {
        check: 'NOTIFY_READONLY_NO_DATA',
        file: 'read-only-reads-data/main.tf',
        line: 1,
        message:
          'deny dynamodb:PartiQLSelect, ecr:GetDownloadUrlForLayer, wafv2:GetSampledRequests on "*"',
      },
    ],
  ],
  [
    'oidc-unpinned',
    [
      {
        check: 'CKV_AWS_358',
        file: 'oidc-unpinned/main.tf',
        line: 3,
        message: 'must pin "token.actions.githubusercontent.com:sub"',
      },
    ],
  ],
  [
    'iam-unbounded-admin',
    [
      {
        check: 'CKV_AWS_274',
        file: 'iam-unbounded-admin/main.tf',
        line: 1,
        message: 'variable.extra_policy_arns: default grants AdministratorAccess',
      },
      {
        check: 'CKV_AWS_274',
        file: 'iam-unbounded-admin/main.tf',
        line: 14,
        message: 'policy_arn grants AdministratorAccess',
      },
      {
        check: 'NOTIFY_ROLE_BOUNDARY',
        file: 'iam-unbounded-admin/main.tf',
        line: 7,
        message: 'aws_iam_role.apply: no permissions_boundary',
      },
    ],
  ],
  [
    'scanner-defaults',
    [
      {
        check: 'CKV_AWS_158',
        file: 'scanner-defaults/main.tf',
        line: 13,
        message: 'no customer-managed key',
      },
      {
        check: 'CKV_AWS_338',
        file: 'scanner-defaults/main.tf',
        line: 15,
        message: 'retention_in_days is 30 by default',
      },
      {
        check: 'AWS-0107',
        file: 'scanner-defaults/main.tf',
        line: 22,
        message: 'ingress from the whole internet',
      },
      {
        check: 'AWS-0104',
        file: 'scanner-defaults/main.tf',
        line: 30,
        message: 'egress to the whole internet',
      },
      {
        check: 'AWS-0053',
        file: 'scanner-defaults/main.tf',
        line: 38,
        message: 'internet-facing',
      },
      {
        check: 'CKV2_AWS_28',
        file: 'scanner-defaults/main.tf',
        line: 38,
        message: 'without a WAF web ACL',
      },
      {
        check: 'CKV2_AWS_57',
        file: 'scanner-defaults/main.tf',
        line: 47,
        message: 'no aws_secretsmanager_secret_rotation',
      },
      {
        check: 'CKV_AWS_149',
        file: 'scanner-defaults/main.tf',
        line: 47,
        message: 'no customer-managed key (kms_key_id)',
      },
      {
        check: 'CKV_AWS_119',
        file: 'scanner-defaults/main.tf',
        line: 51,
        message: 'server_side_encryption.kms_key_arn',
      },
      {
        check: 'AWS-0135',
        file: 'scanner-defaults/main.tf',
        line: 66,
        message: 'kms_master_key_id',
      },
      {
        check: 'AWS-0033',
        file: 'scanner-defaults/main.tf',
        line: 71,
        message: 'encryption_configuration.kms_key',
      },
    ],
  ],
];

describe('offline Terraform checks on broken fixtures', () => {
  test.each(cases)('%s: reports exactly the expected findings', async (fixture, expected) => {
    const findings = await findingsOf(fixture);
    const printed = findings.map(formatFinding).join('\n');
    expect(findings).toHaveLength(expected.length);
    for (const want of expected) {
      const match = findings.find(
        (finding) =>
          finding.check === want.check &&
          finding.file === want.file &&
          finding.line === want.line &&
          (typeof want.message === 'string'
            ? finding.message.includes(want.message)
            : want.message.test(finding.message)),
      );
      if (!match) throw new Error(`expected ${JSON.stringify(want)} among:\n${printed}`);
    }
  });

  test('every policy rule has a fixture it fails on, and rule ids are unique', () => {
    const ids = policyRules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    const failed = new Set(cases.flatMap(([, expected]) => expected.map((want) => want.check)));
    expect(ids.filter((id) => !failed.has(id))).toEqual([]);
  });

  test('the valid fixture (dynamic blocks, module outputs, an annotated exception) passes', async () => {
    expect((await findingsOf('valid')).map(formatFinding)).toEqual([]);
  });
});
