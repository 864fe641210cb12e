// Which provider types the snapshot keeps: everything terraform/ uses, plus the families the
// platform's topology is likely to need, so that adding a resource rarely needs a refresh.
export const LIKELY_TYPE_PATTERNS: readonly string[] = [
  'aws_vpc*',
  'aws_subnet*',
  'aws_route*',
  'aws_default_route_table',
  'aws_main_route_table_association',
  'aws_nat_gateway*',
  'aws_eip*',
  'aws_internet_gateway*',
  'aws_egress_only_internet_gateway',
  'aws_flow_log',
  'aws_default_security_group',
  'aws_default_network_acl',
  'aws_network_acl*',
  'aws_security_group*',
  'aws_ec2_managed_prefix_list*',
  'aws_prefix_list',
  'aws_lb*',
  'aws_alb*',
  'aws_s3_bucket*',
  'aws_ecs_*',
  'aws_service_discovery_*',
  'aws_appautoscaling_*',
  'aws_codedeploy_*',
  'aws_ecr_*',
  'aws_sqs_*',
  'aws_dynamodb_table*',
  'aws_sesv2_*',
  'aws_ses_*',
  'aws_secretsmanager_*',
  'aws_sns_*',
  'aws_cloudwatch_*',
  'aws_iam_*',
  'aws_kms_*',
  'aws_caller_identity',
  'aws_region',
  'aws_regions',
  'aws_partition',
  'aws_availability_zones',
  'aws_availability_zone',
  'aws_arn',
  'aws_default_tags',
  'aws_service_principal',
  'aws_elb_service_account',
  'aws_acm_certificate*',
  'aws_route53_*',
  'aws_ssm_parameter*',
  'aws_wafv2_*',
];

export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

export function typeSelector(
  patterns: readonly string[],
  used: { resources: Set<string>; dataSources: Set<string> },
): (kind: 'resource' | 'data', name: string) => boolean {
  const regexps = patterns.map(globToRegExp);
  return (kind, name) =>
    (kind === 'resource' ? used.resources : used.dataSources).has(name) ||
    regexps.some((regexp) => regexp.test(name));
}
