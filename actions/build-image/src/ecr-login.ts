// Docker login to ECR with a token from the SDK (no AWS CLI needed on the runner). The password
// goes to docker on stdin and is masked in the log before anything could print it.
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { callAws } from '@notify/actions-shared';
import type { Exec } from './exec.ts';

export interface EcrRegistry {
  /** Host name, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com */
  host: string;
  /** The account id that owns the registry. */
  registryId: string;
}

export async function loginToEcr(options: {
  ecr: ECRClient;
  exec: Exec;
  mask: (secret: string) => void;
  region?: string;
}): Promise<EcrRegistry> {
  const response = await callAws(
    { operation: 'ecr:GetAuthorizationToken', resource: '*', region: options.region },
    () => options.ecr.send(new GetAuthorizationTokenCommand({})),
  );
  const data = response.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint) {
    throw new Error('ecr:GetAuthorizationToken returned no authorization data');
  }
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) throw new Error('ecr:GetAuthorizationToken returned a malformed token');
  const username = decoded.slice(0, separator);
  const password = decoded.slice(separator + 1);
  options.mask(password);
  options.mask(data.authorizationToken);

  const host = new URL(data.proxyEndpoint).host;
  const result = await options.exec(
    'docker',
    ['login', '--username', username, '--password-stdin', host],
    { input: Buffer.from(password) },
  );
  if (result.exitCode !== 0) {
    throw new Error(
      `docker login to ${host} failed (exit ${result.exitCode}): ${result.stderr.trim()}`,
    );
  }
  return { host, registryId: host.split('.')[0] };
}
