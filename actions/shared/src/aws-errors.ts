// Turns AWS SDK errors into what to do about them. A raw "AccessDeniedException" leaves a
// platform engineer guessing; "the role lacks ecs:UpdateService on <arn>" is a one-line fix.
import { codeDeployDeploymentUrl } from './console-links.ts';

export type AwsErrorKind =
  | 'access-denied'
  | 'deployment-limit'
  | 'throttling'
  | 'not-found'
  | 'credentials'
  | 'invalid-request'
  | 'unknown';

export interface AwsErrorContext {
  /** What we were doing, e.g. 'ecs:UpdateService'. */
  operation?: string;
  /** What we were doing it to, e.g. the service name. */
  resource?: string;
  region?: string;
}

export interface AwsErrorExplanation {
  kind: AwsErrorKind;
  /** The exception name, e.g. AccessDeniedException. */
  code: string;
  /** AWS's own message. */
  awsMessage: string;
  /** What to do about it. */
  advice: string;
  /** For access-denied: the IAM action and resource AWS named. */
  deniedAction?: string;
  deniedResource?: string;
  /** For deployment-limit: the deployment already running, and its console link. */
  activeDeploymentId?: string;
  activeDeploymentUrl?: string;
}

const throttlingNames = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

const notFoundNames = new Set([
  'ClusterNotFoundException',
  'ServiceNotFoundException',
  'ServiceNotActiveException',
  'ApplicationDoesNotExistException',
  'DeploymentGroupDoesNotExistException',
  'DeploymentDoesNotExistException',
  'DeploymentConfigDoesNotExistException',
  'RepositoryNotFoundException',
  'ImageNotFoundException',
  'TargetGroupNotFoundException',
  'LoadBalancerNotFoundException',
  'ResourceNotFoundException',
]);

const credentialNames = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
]);

export function awsErrorName(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error && typeof error.name === 'string') {
    return error.name;
  }
  return 'Error';
}

/** The HTTP status AWS answered with; undefined when no response arrived (network, timeout). */
export function awsHttpStatus(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  return metadata?.httpStatusCode;
}

export function isThrottlingError(error: unknown): boolean {
  if (error instanceof ActionableAwsError) return error.explanation.kind === 'throttling';
  return throttlingNames.has(awsErrorName(error)) || awsHttpStatus(error) === 429;
}

export function isAwsNotFound(error: unknown): boolean {
  return notFoundNames.has(awsErrorName(error));
}

/** "... is not authorized to perform: ecs:UpdateService on resource: arn:... because ..." */
const notAuthorized =
  /not authorized to perform:? ([\w-]+:\w+)(?: on resource:? (\S+?))?(?:\s+because|\s+with|$|\.\s)/;
const deploymentIdPattern = /\bd-[A-Z0-9]{9}\b/;

export function explainAwsError(
  error: unknown,
  context: AwsErrorContext = {},
): AwsErrorExplanation {
  const code = awsErrorName(error);
  const awsMessage = error instanceof Error ? error.message : String(error);
  const doing = context.operation
    ? `${context.operation}${context.resource ? ` on ${context.resource}` : ''}`
    : 'the AWS call';

  const denied = notAuthorized.exec(awsMessage);
  if (denied || /AccessDenied/.test(code)) {
    const deniedAction = denied?.[1] ?? context.operation;
    const deniedResource = denied?.[2] ?? context.resource;
    return {
      kind: 'access-denied',
      code,
      awsMessage,
      deniedAction,
      deniedResource,
      advice:
        `The role this workflow assumed may not call ${deniedAction ?? 'this action'}` +
        `${deniedResource ? ` on ${deniedResource}` : ''}. Allow that action on that resource in ` +
        `the deploy role's policy (terraform/modules/github-oidc), or check the workflow assumed the right role.`,
    };
  }

  if (code === 'DeploymentLimitExceededException') {
    const activeDeploymentId = deploymentIdPattern.exec(awsMessage)?.[0];
    const activeDeploymentUrl =
      activeDeploymentId && context.region
        ? codeDeployDeploymentUrl(context.region, activeDeploymentId)
        : undefined;
    return {
      kind: 'deployment-limit',
      code,
      awsMessage,
      activeDeploymentId,
      activeDeploymentUrl,
      advice:
        `Another deployment ${activeDeploymentId ? `(${activeDeploymentId}) ` : ''}is already running ` +
        `for ${context.resource ?? 'this deployment group'}. Wait for it to finish or stop it ` +
        `(the rollback action stops it with rollback), then run this deploy again.` +
        (activeDeploymentUrl ? ` ${activeDeploymentUrl}` : ''),
    };
  }

  if (isThrottlingError(error)) {
    return {
      kind: 'throttling',
      code,
      awsMessage,
      advice:
        `AWS throttled ${doing} even after retries. Other pipelines in this account are calling ` +
        `the same API; try again in a minute, or raise poll-seconds.`,
    };
  }

  if (isAwsNotFound(error) || /does not exist|not found|Unable to describe/i.test(awsMessage)) {
    return {
      kind: 'not-found',
      code,
      awsMessage,
      advice:
        `${context.resource ?? 'The resource'} was not found${context.region ? ` in ${context.region}` : ''}. ` +
        `Check the name and the aws-region input against the Terraform outputs.`,
    };
  }

  if (credentialNames.has(code) || /security token|credentials/i.test(awsMessage)) {
    return {
      kind: 'credentials',
      code,
      awsMessage,
      advice:
        'No valid AWS credentials. Run aws-actions/configure-aws-credentials (OIDC) before this ' +
        "step and give the job 'permissions: id-token: write'.",
    };
  }

  if (/Validation|InvalidParameter|ClientException|Invalid/.test(code)) {
    return {
      kind: 'invalid-request',
      code,
      awsMessage,
      advice: `AWS rejected ${doing} as invalid; the message above says which field.`,
    };
  }

  return { kind: 'unknown', code, awsMessage, advice: `${doing} failed.` };
}

/** An AWS failure with its explanation; `message` reads as a sentence a person can act on. */
export class ActionableAwsError extends Error {
  readonly explanation: AwsErrorExplanation;
  constructor(explanation: AwsErrorExplanation, context: AwsErrorContext, cause: unknown) {
    const doing = context.operation ? `${context.operation} failed` : 'AWS call failed';
    super(`${doing}: ${explanation.code}: ${explanation.awsMessage}\n→ ${explanation.advice}`, {
      cause,
    });
    this.name = 'ActionableAwsError';
    this.explanation = explanation;
  }
}

/** Runs one AWS call and rethrows failures as ActionableAwsError. */
export async function callAws<T>(context: AwsErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ActionableAwsError) throw error;
    throw new ActionableAwsError(explainAwsError(error, context), context, error);
  }
}
