// The AppSpec CodeDeploy needs for an ECS blue/green deployment, built from the live service
// so nobody keeps an appspec.yaml in sync with Terraform by hand.
import { createHash } from 'node:crypto';
import type { Service } from '@aws-sdk/client-ecs';

export interface AppSpecContent {
  content: string;
  sha256: string;
}

export function buildAppSpec(service: Service, taskDefinitionArn: string): AppSpecContent {
  const loadBalancer = service.loadBalancers?.find((lb) => lb.containerName && lb.containerPort);
  if (!loadBalancer?.containerName || !loadBalancer.containerPort) {
    throw new Error(
      `Service '${service.serviceName}' uses CodeDeploy but has no load balancer with a container ` +
        'name and port; a blue/green deployment needs one.',
    );
  }
  const properties: Record<string, unknown> = {
    TaskDefinition: taskDefinitionArn,
    LoadBalancerInfo: {
      ContainerName: loadBalancer.containerName,
      ContainerPort: loadBalancer.containerPort,
    },
  };
  if (service.platformVersion) properties.PlatformVersion = service.platformVersion;
  const vpc = service.networkConfiguration?.awsvpcConfiguration;
  if (vpc) {
    properties.NetworkConfiguration = {
      AwsvpcConfiguration: {
        Subnets: vpc.subnets ?? [],
        SecurityGroups: vpc.securityGroups ?? [],
        AssignPublicIp: vpc.assignPublicIp ?? 'DISABLED',
      },
    };
  }
  if (service.capacityProviderStrategy?.length) {
    properties.CapacityProviderStrategy = service.capacityProviderStrategy.map((item) => ({
      CapacityProvider: item.capacityProvider,
      Base: item.base ?? 0,
      Weight: item.weight ?? 0,
    }));
  }
  const resources = [{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }];
  // AWS documents the version as the number 0.0, which JSON.stringify would print as 0.
  const content = `{"version":0.0,"Resources":${JSON.stringify(resources)}}`;
  return { content, sha256: createHash('sha256').update(content).digest('hex') };
}
