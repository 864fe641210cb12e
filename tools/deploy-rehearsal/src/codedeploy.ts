// The CodeDeploy operations the deploy and rollback actions call, playing an ECS blue/green
// deployment's documented sequence in scaled time: Created -> InProgress (BeforeInstall,
// Install, AfterInstall, AllowTestTraffic, AfterAllowTestTraffic) -> Ready (only with a
// STOP_DEPLOYMENT ready wait; Stopped if nobody continues in time) -> InProgress
// (BeforeAllowTraffic, AllowTraffic shifted by the deployment config's steps,
// AfterAllowTraffic, then the termination wait, still InProgress with green at 100 %) ->
// Succeeded. StopDeployment with rollback moves traffic back to blue and starts a rollback
// deployment; a second deployment is refused while one is active.
import { createHash } from 'node:crypto';
import { AwsError, type ServiceHandlers } from './aws-json-server.ts';
import type { DeploymentGroupRecord, TaskSetRecord, TrafficRouting, World } from './world.ts';

const LIFECYCLE = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;

type Status =
  'Created' | 'Queued' | 'InProgress' | 'Ready' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped';
const ACTIVE: Status[] = ['Created', 'Queued', 'InProgress', 'Ready', 'Baking'];
const ALL_STATUSES: Status[] = [...ACTIVE, 'Succeeded', 'Failed', 'Stopped'];

type Phase =
  | { name: 'created' }
  | { name: 'lifecycle'; index: number }
  | { name: 'ready'; until: number }
  | { name: 'shifting'; step: number }
  | { name: 'termination-wait'; until: number }
  | { name: 'rolling-back' }
  | { name: 'done' };

interface LifecycleEvent {
  lifecycleEventName: string;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped';
  startTime?: Date;
  endTime?: Date;
  diagnostics?: { errorCode: string; message: string };
}

export interface DeploymentRecord {
  id: string;
  group: DeploymentGroupRecord;
  configName: string;
  status: Status;
  phase: Phase;
  phaseAt: number;
  creator: 'user' | 'autoRollback';
  description?: string;
  revision: Record<string, unknown>;
  taskDefinition: string;
  createTime: Date;
  completeTime?: Date;
  lifecycle: LifecycleEvent[];
  blue?: TaskSetRecord;
  green?: TaskSetRecord;
  errorInformation?: { code: string; message: string };
  rollbackInfo?: Record<string, string>;
  continued: boolean;
}

export interface CodeDeployStandIn {
  handlers: ServiceHandlers;
  deployments: DeploymentRecord[];
}

/** CodeDeploy's id format: `d-` and nine upper-case letters or digits. */
function deploymentId(world: World): string {
  return `d-${createHash('sha256').update(world.nextId('')).digest('hex').slice(0, 9).toUpperCase()}`;
}

function groupKey(input: Record<string, unknown>): string {
  return `${String(input.applicationName)}/${String(input.deploymentGroupName)}`;
}

function parseAppSpec(content: string): {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
} {
  let spec: { Resources?: { TargetService?: { Properties?: Record<string, unknown> } }[] };
  try {
    spec = JSON.parse(content) as typeof spec;
  } catch {
    throw new AwsError(
      'InvalidRevisionException',
      'The AppSpec content is not valid JSON or YAML.',
    );
  }
  const properties = spec.Resources?.[0]?.TargetService?.Properties;
  const lb = properties?.LoadBalancerInfo as
    { ContainerName?: string; ContainerPort?: number } | undefined;
  if (typeof properties?.TaskDefinition !== 'string' || !lb?.ContainerName || !lb.ContainerPort) {
    throw new AwsError(
      'InvalidRevisionException',
      'The AppSpec must name a TaskDefinition and LoadBalancerInfo (ContainerName, ContainerPort).',
    );
  }
  return {
    taskDefinition: properties.TaskDefinition,
    containerName: lb.ContainerName,
    containerPort: lb.ContainerPort,
  };
}

/** Green's traffic share after `step` steps of the config, and whether that is the last step. */
function trafficAt(routing: TrafficRouting, step: number): { weight: number; last: boolean } {
  if (routing.type === 'AllAtOnce') return { weight: 100, last: true };
  if (routing.type === 'TimeBasedCanary') {
    return step === 0 ? { weight: routing.percentage, last: false } : { weight: 100, last: true };
  }
  const weight = Math.min(100, routing.percentage * (step + 1));
  return { weight, last: weight >= 100 };
}

export function codeDeployStandIn(world: World): CodeDeployStandIn {
  const deployments: DeploymentRecord[] = [];

  const findGroup = (input: Record<string, unknown>): DeploymentGroupRecord => {
    if (!world.applications.has(String(input.applicationName))) {
      throw new AwsError(
        'ApplicationDoesNotExistException',
        `No application found for name: ${String(input.applicationName)}`,
      );
    }
    const group = world.deploymentGroups.get(groupKey(input));
    if (!group) {
      throw new AwsError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${String(input.deploymentGroupName)}`,
      );
    }
    return group;
  };

  const findDeployment = (id: unknown): DeploymentRecord => {
    if (typeof id !== 'string' || !/^d-[A-Z0-9]{9}$/.test(id)) {
      throw new AwsError(
        'InvalidDeploymentIdException',
        `Specified DeploymentId is not in the valid format: ${String(id)}`,
      );
    }
    const found = deployments.find((d) => d.id === id);
    if (!found)
      throw new AwsError(
        'DeploymentDoesNotExistException',
        `The deployment ${id} could not be found.`,
      );
    advance(found);
    return found;
  };

  const service = (d: DeploymentRecord) => world.services.get(d.group.service)!;

  const setPhase = (d: DeploymentRecord, phase: Phase, at: number) => {
    d.phase = phase;
    d.phaseAt = at;
  };

  const finish = (d: DeploymentRecord, status: Status, at: number) => {
    d.status = status;
    d.completeTime = new Date(at);
    setPhase(d, { name: 'done' }, at);
  };

  /** Moves a deployment along its sequence up to now; called on every read. */
  const advance = (d: DeploymentRecord) => {
    const now = Date.now();
    for (let guard = 0; guard < 1000; guard += 1) {
      const phase = d.phase;
      const step = world.stepMs;
      if (phase.name === 'done') return;
      if (phase.name === 'created') {
        if (now < d.phaseAt + step) return;
        d.status = 'InProgress';
        setPhase(d, { name: 'lifecycle', index: 0 }, d.phaseAt + step);
        d.lifecycle[0]!.status = 'InProgress';
        d.lifecycle[0]!.startTime = new Date(d.phaseAt);
        continue;
      }
      if (phase.name === 'lifecycle') {
        const event = d.lifecycle[phase.index]!;
        if (now < d.phaseAt + step) return;
        const at = d.phaseAt + step;
        if (event.lifecycleEventName === 'Install') {
          const svc = service(d);
          if (d.green === undefined) {
            throw new Error('green task set missing at Install');
          }
          if (d.green.runningCount === 0 && !matchesService(d, svc)) {
            event.status = 'Failed';
            event.endTime = new Date(at);
            event.diagnostics = {
              errorCode: 'ECS_UPDATE_ERROR',
              message: `The ELB could not be updated: container ${d.green.label} does not match the service's load balancer.`,
            };
            d.errorInformation = {
              code: 'ECS_UPDATE_ERROR',
              message:
                'The AppSpec LoadBalancerInfo does not match the service (container name or port).',
            };
            svc.taskSets = svc.taskSets.filter((set) => set !== d.green);
            finish(d, 'Failed', at);
            return;
          }
          d.green.runningCount = d.green.desiredCount;
        }
        if (event.lifecycleEventName === 'AllowTraffic') {
          // Handled by the shifting phase.
          setPhase(d, { name: 'shifting', step: 0 }, d.phaseAt);
          continue;
        }
        event.status = 'Succeeded';
        event.endTime = new Date(at);
        const nextIndex = phase.index + 1;
        if (
          event.lifecycleEventName === 'AfterAllowTestTraffic' &&
          d.group.actionOnTimeout === 'STOP_DEPLOYMENT' &&
          d.group.readyWaitMinutes > 0 &&
          !d.continued
        ) {
          d.status = 'Ready';
          setPhase(d, { name: 'ready', until: at + d.group.readyWaitMinutes * world.minuteMs }, at);
          continue;
        }
        if (event.lifecycleEventName === 'AfterAllowTraffic') {
          const wait = d.group.terminationWaitMinutes * world.minuteMs;
          setPhase(d, { name: 'termination-wait', until: at + wait }, at);
          continue;
        }
        const next = d.lifecycle[nextIndex]!;
        next.status = 'InProgress';
        next.startTime = new Date(at);
        setPhase(d, { name: 'lifecycle', index: nextIndex }, at);
        continue;
      }
      if (phase.name === 'ready') {
        if (d.continued) {
          d.status = 'InProgress';
          const index = LIFECYCLE.indexOf('BeforeAllowTraffic');
          d.lifecycle[index]!.status = 'InProgress';
          d.lifecycle[index]!.startTime = new Date(now);
          setPhase(d, { name: 'lifecycle', index }, now);
          continue;
        }
        if (now < phase.until) return;
        // Nobody rerouted traffic within the wait: CodeDeploy stops the deployment.
        d.errorInformation = {
          code: 'TIMEOUT',
          message:
            'The deployment timed out while waiting for traffic to be rerouted (ContinueDeployment).',
        };
        removeGreen(d);
        finish(d, 'Stopped', phase.until);
        return;
      }
      if (phase.name === 'shifting') {
        const routing = world.deploymentConfigs.get(d.configName)!;
        const { weight, last } = trafficAt(routing, phase.step);
        d.green!.trafficWeight = weight;
        d.blue!.trafficWeight = 100 - weight;
        const allow = d.lifecycle[LIFECYCLE.indexOf('AllowTraffic')]!;
        allow.status = 'InProgress';
        allow.startTime ??= new Date(d.phaseAt);
        const interval =
          routing.type === 'AllAtOnce' ? step : routing.intervalMinutes * world.minuteMs;
        if (now < d.phaseAt + interval) return;
        const at = d.phaseAt + interval;
        if (!last) {
          setPhase(d, { name: 'shifting', step: phase.step + 1 }, at);
          continue;
        }
        allow.status = 'Succeeded';
        allow.endTime = new Date(at);
        const afterIndex = LIFECYCLE.indexOf('AfterAllowTraffic');
        d.lifecycle[afterIndex]!.status = 'InProgress';
        d.lifecycle[afterIndex]!.startTime = new Date(at);
        setPhase(d, { name: 'lifecycle', index: afterIndex }, at);
        continue;
      }
      if (phase.name === 'termination-wait') {
        if (now < phase.until) return;
        const svc = service(d);
        svc.taskSets = svc.taskSets.filter((set) => set !== d.blue);
        d.green!.status = 'PRIMARY';
        d.green!.label = 'Green';
        svc.taskDefinition = d.green!.taskDefinition;
        finish(d, 'Succeeded', phase.until);
        return;
      }
      if (phase.name === 'rolling-back') {
        if (now < d.phaseAt + 2 * step) return;
        for (const event of d.lifecycle) {
          if (event.status === 'Pending') event.status = 'Succeeded';
        }
        finish(d, 'Succeeded', d.phaseAt + 2 * step);
        return;
      }
    }
  };

  const matchesService = (d: DeploymentRecord, svc: ReturnType<typeof service>) => {
    const spec = parseAppSpec(String((d.revision.appSpecContent as { content?: string }).content));
    return spec.containerName === svc.containerName && spec.containerPort === svc.containerPort;
  };

  const removeGreen = (d: DeploymentRecord) => {
    const svc = service(d);
    svc.taskSets = svc.taskSets.filter((set) => set !== d.green);
    if (d.blue) {
      d.blue.trafficWeight = 100;
      d.blue.status = 'PRIMARY';
    }
  };

  const startDeployment = (
    group: DeploymentGroupRecord,
    revision: Record<string, unknown>,
    options: { creator: 'user' | 'autoRollback'; description?: string; configName: string },
  ): DeploymentRecord => {
    const content = String(
      (revision.appSpecContent as { content?: string } | undefined)?.content ?? '',
    );
    const spec = parseAppSpec(content);
    const definition = world.findTaskDefinition(spec.taskDefinition);
    if (!definition || definition.status !== 'ACTIVE') {
      throw new AwsError(
        'InvalidRevisionException',
        `The task definition ${spec.taskDefinition} does not exist or is not ACTIVE.`,
      );
    }
    const svc = world.services.get(group.service)!;
    const blue = svc.taskSets.find((set) => set.status === 'PRIMARY');
    const now = Date.now();
    const d: DeploymentRecord = {
      id: deploymentId(world),
      group,
      configName: options.configName,
      status: 'Created',
      phase: { name: 'created' },
      phaseAt: now,
      creator: options.creator,
      ...(options.description ? { description: options.description } : {}),
      revision,
      taskDefinition: definition.arn,
      createTime: new Date(now),
      lifecycle: LIFECYCLE.map((name) => ({
        lifecycleEventName: name,
        status: 'Pending' as const,
      })),
      continued: false,
      ...(blue ? { blue } : {}),
    };
    const green: TaskSetRecord = {
      id: world.nextId('ecs-svc/'),
      taskDefinition: definition.arn,
      status: 'ACTIVE',
      desiredCount: svc.desiredCount,
      runningCount: 0,
      trafficWeight: 0,
      targetGroup:
        blue?.targetGroup === group.targetGroups[0] ? group.targetGroups[1] : group.targetGroups[0],
      label: 'Green',
    };
    svc.taskSets.push(green);
    d.green = green;
    deployments.push(d);
    return d;
  };

  const targetView = (d: DeploymentRecord) => ({
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: d.id,
      targetId: `${world.cluster}:${d.group.service}`,
      targetArn: world.arn(`service/${world.cluster}/${d.group.service}`),
      lastUpdatedAt: new Date(),
      lifecycleEvents: d.lifecycle,
      status: d.status === 'Ready' ? 'Ready' : d.status === 'Created' ? 'Pending' : d.status,
      taskSetsInfo: [
        d.blue ? { set: d.blue, label: 'Blue' } : undefined,
        d.green ? { set: d.green, label: 'Green' } : undefined,
      ]
        .filter((x) => x !== undefined)
        .filter((x) => service(d).taskSets.includes(x.set) || d.status === 'Succeeded')
        .map(({ set, label }) => ({
          identifer: set.id,
          desiredCount: set.desiredCount,
          pendingCount: set.desiredCount - set.runningCount,
          runningCount: set.runningCount,
          status: set.status,
          trafficWeight: set.trafficWeight,
          targetGroup: { name: set.targetGroup },
          taskSetLabel: label,
        })),
    },
  });

  const handlers: ServiceHandlers = {
    targetPrefix: 'CodeDeploy_20141006',
    operations: {
      GetDeploymentGroup(input) {
        const group = findGroup(input);
        return {
          deploymentGroupInfo: {
            applicationName: group.application,
            deploymentGroupName: group.name,
            deploymentGroupId: `dg-${group.name}`,
            deploymentConfigName: group.deploymentConfigName,
            serviceRoleArn: 'arn:aws:iam::123456789012:role/notify-staging-codedeploy',
            computePlatform: 'ECS',
            deploymentStyle: {
              deploymentType: 'BLUE_GREEN',
              deploymentOption: 'WITH_TRAFFIC_CONTROL',
            },
            blueGreenDeploymentConfiguration: {
              terminateBlueInstancesOnDeploymentSuccess: {
                action: 'TERMINATE',
                terminationWaitTimeInMinutes: group.terminationWaitMinutes,
              },
              deploymentReadyOption: {
                actionOnTimeout: group.actionOnTimeout,
                ...(group.actionOnTimeout === 'STOP_DEPLOYMENT'
                  ? { waitTimeInMinutes: group.readyWaitMinutes }
                  : {}),
              },
            },
            autoRollbackConfiguration: {
              enabled: true,
              events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'],
            },
            ecsServices: [{ serviceName: group.service, clusterName: world.cluster }],
          },
        };
      },

      GetDeploymentConfig(input) {
        const name = String(input.deploymentConfigName ?? '');
        const routing = world.deploymentConfigs.get(name);
        if (!routing)
          throw new AwsError(
            'DeploymentConfigDoesNotExistException',
            `Deployment config ${name} does not exist.`,
          );
        return {
          deploymentConfigInfo: {
            deploymentConfigId: `config-${name}`,
            deploymentConfigName: name,
            computePlatform: 'ECS',
            trafficRoutingConfig:
              routing.type === 'AllAtOnce'
                ? { type: 'AllAtOnce' }
                : routing.type === 'TimeBasedCanary'
                  ? {
                      type: routing.type,
                      timeBasedCanary: {
                        canaryPercentage: routing.percentage,
                        canaryInterval: routing.intervalMinutes,
                      },
                    }
                  : {
                      type: routing.type,
                      timeBasedLinear: {
                        linearPercentage: routing.percentage,
                        linearInterval: routing.intervalMinutes,
                      },
                    },
          },
        };
      },

      ListDeployments(input) {
        const group = findGroup(input);
        const statuses = (input.includeOnlyStatuses as string[] | undefined) ?? [];
        for (const status of statuses) {
          if (!ALL_STATUSES.includes(status as Status)) {
            throw new AwsError(
              'InvalidDeploymentStatusException',
              `Invalid deployment status: ${status}`,
            );
          }
        }
        const found = deployments
          .filter((d) => d.group === group)
          .map((d) => (advance(d), d))
          .filter((d) => statuses.length === 0 || statuses.includes(d.status))
          .reverse();
        return { deployments: found.map((d) => d.id) };
      },

      CreateDeployment(input) {
        const group = findGroup(input);
        const active = deployments.find(
          (d) => d.group === group && (advance(d), ACTIVE.includes(d.status)),
        );
        if (active) {
          throw new AwsError(
            'DeploymentLimitExceededException',
            `The Deployment Group '${group.name}' already has an active Deployment '${active.id}'`,
          );
        }
        const revision = input.revision as Record<string, unknown> | undefined;
        if (revision?.revisionType !== 'AppSpecContent') {
          throw new AwsError(
            'InvalidRevisionException',
            'An ECS deployment needs an AppSpecContent revision.',
          );
        }
        const appSpec = revision.appSpecContent as { content?: string; sha256?: string };
        if (
          appSpec.sha256 &&
          createHash('sha256')
            .update(appSpec.content ?? '')
            .digest('hex') !== appSpec.sha256
        ) {
          throw new AwsError(
            'InvalidRevisionException',
            'The sha256 of the AppSpec content does not match.',
          );
        }
        const configName = String(input.deploymentConfigName ?? group.deploymentConfigName);
        if (!world.deploymentConfigs.has(configName)) {
          throw new AwsError(
            'DeploymentConfigDoesNotExistException',
            `Deployment config ${configName} does not exist.`,
          );
        }
        const d = startDeployment(group, revision, {
          creator: 'user',
          configName,
          ...(typeof input.description === 'string' ? { description: input.description } : {}),
        });
        return { deploymentId: d.id };
      },

      GetDeployment(input) {
        const d = findDeployment(input.deploymentId);
        const counts = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
        const key =
          d.status === 'Created' || d.status === 'Queued'
            ? 'Pending'
            : d.status === 'Stopped'
              ? 'Failed'
              : d.status === 'Baking'
                ? 'InProgress'
                : d.status;
        counts[key as keyof typeof counts] = 1;
        return {
          deploymentInfo: {
            applicationName: d.group.application,
            deploymentGroupName: d.group.name,
            deploymentConfigName: d.configName,
            deploymentId: d.id,
            status: d.status,
            computePlatform: 'ECS',
            creator: d.creator,
            createTime: d.createTime,
            ...(d.completeTime ? { completeTime: d.completeTime } : {}),
            ...(d.description ? { description: d.description } : {}),
            revision: d.revision,
            deploymentOverview: counts,
            deploymentStyle: {
              deploymentType: 'BLUE_GREEN',
              deploymentOption: 'WITH_TRAFFIC_CONTROL',
            },
            ...(d.errorInformation ? { errorInformation: d.errorInformation } : {}),
            ...(d.rollbackInfo ? { rollbackInfo: d.rollbackInfo } : {}),
          },
        };
      },

      ListDeploymentTargets(input) {
        const d = findDeployment(input.deploymentId);
        return { targetIds: [`${world.cluster}:${d.group.service}`] };
      },

      BatchGetDeploymentTargets(input) {
        const d = findDeployment(input.deploymentId);
        const wanted = `${world.cluster}:${d.group.service}`;
        const ids = (input.targetIds as string[] | undefined) ?? [];
        if (ids.some((id) => id !== wanted)) {
          throw new AwsError('DeploymentTargetDoesNotExistException', 'A target does not exist.');
        }
        return { deploymentTargets: ids.map(() => targetView(d)) };
      },

      ContinueDeployment(input) {
        const d = findDeployment(input.deploymentId);
        if (input.deploymentWaitType !== undefined && input.deploymentWaitType !== 'READY_WAIT') {
          throw new AwsError(
            'InvalidDeploymentWaitTypeException',
            'Only READY_WAIT can be continued here.',
          );
        }
        if (d.status !== 'Ready') {
          throw new AwsError(
            'DeploymentIsNotInReadyStateException',
            `The deployment ${d.id} is not in the Ready state.`,
          );
        }
        d.continued = true;
        advance(d);
        return {};
      },

      StopDeployment(input) {
        const d = findDeployment(input.deploymentId);
        if (!ACTIVE.includes(d.status)) {
          throw new AwsError(
            'DeploymentAlreadyCompletedException',
            `The deployment ${d.id} is already completed.`,
          );
        }
        const now = Date.now();
        d.lifecycle.forEach((event) => {
          if (event.status === 'InProgress') event.status = 'Failed';
          else if (event.status === 'Pending') event.status = 'Skipped';
        });
        if (input.autoRollbackEnabled === true && d.blue) {
          removeGreen(d);
          const rollback = startRollback(d, now);
          d.rollbackInfo = {
            rollbackDeploymentId: rollback.id,
            rollbackMessage: `Active deployment rolled back by ${rollback.id}`,
          };
        }
        d.errorInformation = {
          code: 'DEPLOYMENT_STOPPED',
          message: 'The deployment was stopped by a user request.',
        };
        finish(d, 'Stopped', now);
        return { status: 'Succeeded', statusMessage: 'Stopped deployment.' };
      },
    },
  };

  /** CodeDeploy's own rollback deployment: traffic back on blue, green removed. */
  const startRollback = (stopped: DeploymentRecord, now: number): DeploymentRecord => {
    const rollback: DeploymentRecord = {
      id: deploymentId(world),
      group: stopped.group,
      configName: stopped.configName,
      status: 'InProgress',
      phase: { name: 'rolling-back' },
      phaseAt: now,
      creator: 'autoRollback',
      revision: stopped.revision,
      taskDefinition: stopped.blue!.taskDefinition,
      createTime: new Date(now),
      lifecycle: LIFECYCLE.map((name) => ({
        lifecycleEventName: name,
        status: 'Pending' as const,
      })),
      continued: true,
      blue: stopped.blue!,
      rollbackInfo: { rollbackTriggeringDeploymentId: stopped.id },
    };
    deployments.push(rollback);
    return rollback;
  };

  return { handlers, deployments };
}
