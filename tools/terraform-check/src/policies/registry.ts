// Every policy rule, in the order the README's table lists them.
import type { PolicyRule } from './rule.ts';
import { availabilityZonesOptIn } from './rules/availability-zones-opt-in.ts';
import { albAccessLogs } from './rules/alb-access-logs.ts';
import { albDropInvalidHeaders } from './rules/alb-drop-invalid-headers.ts';
import { ecrImmutableTags } from './rules/ecr-immutable-tags.ts';
import { ecrScanOnPush } from './rules/ecr-scan-on-push.ts';
import { ecsClusterOutputsAfterCapacityProviders } from './rules/ecs-cluster-outputs-after-capacity-providers.ts';
import { ecsContainerInsights } from './rules/ecs-container-insights.ts';
import { ecsNoPublicIp } from './rules/ecs-no-public-ip.ts';
import { ecsNotPrivileged } from './rules/ecs-not-privileged.ts';
import { ecsReadOnlyRoot } from './rules/ecs-read-only-root.ts';
import { albPublic } from './rules/alb-public.ts';
import { albWaf } from './rules/alb-waf.ts';
import { wafLogging } from './rules/waf-logging.ts';
import {
  dynamodbCustomerKey,
  ecrCustomerKey,
  secretCustomerKey,
  sqsCustomerKey,
} from './rules/customer-managed-keys.ts';
import { logGroupKms } from './rules/log-group-kms.ts';
import { logRetentionOneYear } from './rules/log-retention-one-year.ts';
import { s3AccessLogging } from './rules/s3-access-logging.ts';
import { secretRotation } from './rules/secret-rotation.ts';
import { securityGroupPublicEgress } from './rules/security-group-public-egress.ts';
import { securityGroupPublicIngress } from './rules/security-group-public-ingress.ts';
import { iamNoAdministratorAccess } from './rules/iam-no-administrator-access.ts';
import { iamRolePermissionsBoundary } from './rules/iam-role-permissions-boundary.ts';
import { iamWildcardAction } from './rules/iam-wildcard-action.ts';
import { iamWildcardResource } from './rules/iam-wildcard-resource.ts';
import { listenerTlsPolicy } from './rules/listener-tls-policy.ts';
import { logRetention } from './rules/log-retention.ts';
import { oidcPinnedSubject } from './rules/oidc-pinned-subject.ts';
import { plaintextSecrets } from './rules/plaintext-secrets.ts';
import { readOnlyAccessDeniesData } from './rules/read-only-access-denies-data.ts';
import { s3Encryption } from './rules/s3-encryption.ts';
import { s3PublicAccessBlock } from './rules/s3-public-access-block.ts';
import { s3Versioning } from './rules/s3-versioning.ts';
import { sqsEncryption } from './rules/sqs-encryption.ts';
import { vpcFlowLogs } from './rules/vpc-flow-logs.ts';

export const policyRules: PolicyRule[] = [
  iamWildcardAction,
  iamWildcardResource,
  oidcPinnedSubject,
  sqsEncryption,
  ecrImmutableTags,
  ecrScanOnPush,
  albDropInvalidHeaders,
  albAccessLogs,
  listenerTlsPolicy,
  ecsReadOnlyRoot,
  ecsNotPrivileged,
  ecsNoPublicIp,
  ecsContainerInsights,
  plaintextSecrets,
  logRetention,
  vpcFlowLogs,
  s3Encryption,
  s3Versioning,
  s3PublicAccessBlock,
  availabilityZonesOptIn,
  ecsClusterOutputsAfterCapacityProviders,
  readOnlyAccessDeniesData,
  iamNoAdministratorAccess,
  iamRolePermissionsBoundary,
  logGroupKms,
  logRetentionOneYear,
  securityGroupPublicIngress,
  securityGroupPublicEgress,
  albPublic,
  albWaf,
  wafLogging,
  s3AccessLogging,
  secretRotation,
  secretCustomerKey,
  dynamodbCustomerKey,
  sqsCustomerKey,
  ecrCustomerKey,
];
