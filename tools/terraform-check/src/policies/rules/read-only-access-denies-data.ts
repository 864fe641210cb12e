// NOTIFY_READONLY_NO_DATA (project rule, no scanner has it): AWS's ReadOnlyAccess reads data as
// well as configuration (table items, log events, SecureString parameters, image layers, ...).
// A role given it for `terraform plan` must deny every data read in the list below, which is
// what plan never needs and a pull request must not get. Wildcards in the Deny count
// (`logs:Get*` covers logs:GetLogEvents).
import { resourcesOf, type Candidate, type PolicyRule } from '../rule.ts';

/** Data-plane reads that ReadOnlyAccess grants (and Terraform's plan of this stack never uses). */
export const DATA_READS = [
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PartiQLSelect',
  'dynamodb:GetRecords',
  'logs:FilterLogEvents',
  'logs:GetLogEvents',
  'logs:GetLogRecord',
  'logs:StartLiveTail',
  'logs:StartQuery',
  'logs:GetQueryResults',
  'logs:Unmask',
  'sqs:ReceiveMessage',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'ssm:GetParameterHistory',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  // Sampled web requests carry their headers, the API's bearer tokens among them.
  'wafv2:GetSampledRequests',
] as const;

function covers(pattern: string, action: string): boolean {
  const regex = new RegExp(
    `^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
    'i',
  );
  return regex.test(action);
}

export const readOnlyAccessDeniesData: PolicyRule = {
  id: 'NOTIFY_READONLY_NO_DATA',
  description:
    'A module attaching ReadOnlyAccess also denies the data reads it grants (DATA_READS: items, log events, parameters, image layers, messages, WAF request samples).',
  check({ module, statements }) {
    const attachments = resourcesOf(module, 'aws_iam_role_policy_attachment').filter(
      (attachment) =>
        typeof attachment.body.policy_arn === 'string' &&
        attachment.body.policy_arn.endsWith(':iam::aws:policy/ReadOnlyAccess'),
    );
    if (attachments.length === 0) return [];
    const denied = statements
      .filter((statement) => statement.effect === 'Deny' && statement.resources.includes('*'))
      .flatMap((statement) => statement.actions);
    const missing = DATA_READS.filter((action) => !denied.some((d) => covers(d, action)));
    if (missing.length === 0) return [];
    return attachments.map((attachment): Candidate => ({
      file: attachment.file,
      line: attachment.range?.start,
      message:
        `aws_iam_role_policy_attachment.${attachment.name}: ReadOnlyAccess also reads data; deny ` +
        `${missing.join(', ')} on "*" in the same role's policy`,
    }));
  },
};
