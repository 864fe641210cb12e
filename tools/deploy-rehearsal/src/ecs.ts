// The ECS operations the deploy and rollback actions call, over the stand-in's World, with
// the answers and errors ECS documents. A CODE_DEPLOY service reports its task sets (blue
// PRIMARY, green ACTIVE while a deployment runs); a rolling service reports its deployments,
// which complete after a short rollout.
import { AwsError, type ServiceHandlers } from './aws-json-server.ts';
import type { ServiceRecord, TaskDefinitionRecord, World } from './world.ts';

const REGISTER_FIELDS = new Set([
  'family',
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'containerDefinitions',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'cpu',
  'memory',
  'tags',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
]);

function requireString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw new AwsError('InvalidParameterException', `${name} must be specified.`);
  }
  return value;
}

function describeTaskDefinitionRecord(record: TaskDefinitionRecord) {
  return {
    ...record.body,
    taskDefinitionArn: record.arn,
    revision: record.revision,
    status: record.status,
    compatibilities: ['EC2', 'FARGATE'],
    registeredAt: record.registeredAt,
    registeredBy: 'arn:aws:sts::123456789012:assumed-role/deploy/GitHubActions',
  };
}

export function ecsHandlers(world: World): ServiceHandlers {
  const checkCluster = (input: Record<string, unknown>) => {
    const cluster = String(input.cluster ?? 'default')
      .split('/')
      .pop();
    if (cluster !== world.cluster) {
      throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
    }
  };

  /** Rolling rollouts finish on their own after a while, as ECS's would. */
  const advanceRollouts = (service: ServiceRecord) => {
    const now = Date.now();
    for (const deployment of service.deployments) {
      if (deployment.rolloutState === 'IN_PROGRESS' && now >= deployment.completesAt) {
        deployment.rolloutState = 'COMPLETED';
        deployment.runningCount = deployment.desiredCount;
        service.deployments = service.deployments.filter(
          (d) => d === deployment || d.status !== 'ACTIVE',
        );
        service.events.unshift({
          id: world.nextId('event-'),
          createdAt: new Date(),
          message: `(service ${service.name}) has reached a steady state.`,
        });
      }
    }
  };

  const serviceView = (service: ServiceRecord) => {
    advanceRollouts(service);
    const primarySet = service.taskSets.find((set) => set.status === 'PRIMARY');
    return {
      serviceArn: world.arn(`service/${world.cluster}/${service.name}`),
      serviceName: service.name,
      clusterArn: world.arn(`cluster/${world.cluster}`),
      status: 'ACTIVE',
      desiredCount: service.desiredCount,
      runningCount: service.desiredCount,
      pendingCount: 0,
      launchType: 'FARGATE',
      platformVersion: 'LATEST',
      taskDefinition: primarySet?.taskDefinition ?? service.taskDefinition,
      deploymentController: { type: service.controller },
      loadBalancers:
        service.controller === 'CODE_DEPLOY'
          ? [
              {
                targetGroupArn: `arn:aws:elasticloadbalancing:${world.region}:123456789012:targetgroup/${service.name}-blue/0123456789abcdef`,
                containerName: service.containerName,
                containerPort: service.containerPort,
              },
            ]
          : [],
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
          securityGroups: ['sg-0a1b2c3d4e5f60003'],
          assignPublicIp: 'DISABLED',
        },
      },
      taskSets: service.taskSets.map((set) => ({
        id: set.id,
        taskSetArn: world.arn(`task-set/${world.cluster}/${service.name}/${set.id}`),
        status: set.status,
        taskDefinition: set.taskDefinition,
        computedDesiredCount: set.desiredCount,
        runningCount: set.runningCount,
        scale: { value: 100, unit: 'PERCENT' },
      })),
      deployments: service.deployments.map((d) => ({
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        desiredCount: d.desiredCount,
        runningCount: d.runningCount,
        pendingCount: d.desiredCount - d.runningCount,
        failedTasks: 0,
        rolloutState: d.rolloutState,
        ...(d.rolloutStateReason ? { rolloutStateReason: d.rolloutStateReason } : {}),
        createdAt: d.createdAt,
        updatedAt: new Date(),
      })),
      events: service.events.slice(0, 100),
    };
  };

  return {
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    operations: {
      DescribeServices(input) {
        checkCluster(input);
        const names = (input.services as string[] | undefined) ?? [];
        if (names.length === 0 || names.length > 10) {
          throw new AwsError('InvalidParameterException', 'services must hold 1 to 10 names.');
        }
        const services = [];
        const failures = [];
        for (const name of names) {
          const service = world.services.get(name.split('/').pop() ?? name);
          if (service) services.push(serviceView(service));
          else
            failures.push({
              arn: world.arn(`service/${world.cluster}/${name}`),
              reason: 'MISSING',
            });
        }
        return { services, failures };
      },

      DescribeTaskDefinition(input) {
        const ref = requireString(input, 'taskDefinition');
        const record = world.findTaskDefinition(ref);
        if (!record) throw new AwsError('ClientException', 'Unable to describe task definition.');
        const include = (input.include as string[] | undefined) ?? [];
        return {
          taskDefinition: describeTaskDefinitionRecord(record),
          ...(include.includes('TAGS') ? { tags: record.tags } : {}),
        };
      },

      RegisterTaskDefinition(input) {
        for (const key of Object.keys(input)) {
          if (!REGISTER_FIELDS.has(key)) {
            throw new AwsError('SerializationException', `Unknown field ${key}`);
          }
        }
        requireString(input, 'family');
        const containers = input.containerDefinitions as Record<string, unknown>[] | undefined;
        if (!Array.isArray(containers) || containers.length === 0) {
          throw new AwsError('ClientException', 'Container list cannot be empty.');
        }
        for (const container of containers) {
          if (!container.name || !container.image) {
            throw new AwsError(
              'ClientException',
              'Container.name and Container.image should not be null or empty.',
            );
          }
        }
        const tags = (input.tags as { key: string; value: string }[] | undefined) ?? [];
        if (tags.some((tag) => tag.key.toLowerCase().startsWith('aws:'))) {
          throw new AwsError('InvalidParameterException', 'Tag keys may not begin with aws:.');
        }
        const body = { ...input };
        delete body.tags;
        const record = world.registerTaskDefinition(body, tags);
        return { taskDefinition: describeTaskDefinitionRecord(record), tags: record.tags };
      },

      ListTaskDefinitions(input) {
        const prefix = typeof input.familyPrefix === 'string' ? input.familyPrefix : '';
        const status = input.status ?? 'ACTIVE';
        const found = world.taskDefinitions
          .filter((t) => t.family.startsWith(prefix) && (status === 'ALL' || t.status === status))
          .sort((a, b) =>
            a.family === b.family ? a.revision - b.revision : a.family.localeCompare(b.family),
          );
        if (input.sort === 'DESC') found.reverse();
        return { taskDefinitionArns: found.map((t) => t.arn) };
      },

      ListTasks(input) {
        checkCluster(input);
        return { taskArns: [] };
      },

      DescribeTasks(input) {
        checkCluster(input);
        return { tasks: [], failures: [] };
      },

      UpdateService(input) {
        checkCluster(input);
        const name = requireString(input, 'service');
        const service = world.services.get(name);
        if (!service) throw new AwsError('ServiceNotFoundException', 'Service not found.');
        const taskDefinition = input.taskDefinition as string | undefined;
        if (service.controller === 'CODE_DEPLOY' && taskDefinition) {
          throw new AwsError(
            'InvalidParameterException',
            'Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.',
          );
        }
        if (taskDefinition) {
          const record = world.findTaskDefinition(taskDefinition);
          if (!record || record.status !== 'ACTIVE') {
            throw new AwsError('ClientException', 'TaskDefinition not found.');
          }
          for (const d of service.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
          service.deployments.unshift({
            id: world.nextId('ecs-svc/'),
            status: 'PRIMARY',
            taskDefinition: record.arn,
            rolloutState: 'IN_PROGRESS',
            desiredCount: service.desiredCount,
            runningCount: 0,
            createdAt: new Date(),
            completesAt: Date.now() + 4 * world.stepMs,
          });
          service.taskDefinition = record.arn;
        }
        return { service: serviceView(service) };
      },
    },
  };
}
