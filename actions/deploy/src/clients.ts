// The SDK clients the deploy and rollback actions use. CreateDeployment gets a client of its
// own with a single attempt: it is not idempotent, so an SDK retry after a lost response
// creates nothing but a DeploymentLimitExceededException naming this run's own deployment.
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { awsClientConfig } from '@notify/actions-shared';

export interface DeployClients {
  ecs: ECSClient;
  codeDeploy: CodeDeployClient;
  /** For CreateDeployment only: maxAttempts 1. */
  codeDeployCreate: CodeDeployClient;
}

export function createDeployClients(region: string): DeployClients {
  const config = awsClientConfig({ region });
  return {
    ecs: new ECSClient(config),
    codeDeploy: new CodeDeployClient(config),
    codeDeployCreate: new CodeDeployClient(awsClientConfig({ region, maxAttempts: 1 })),
  };
}
