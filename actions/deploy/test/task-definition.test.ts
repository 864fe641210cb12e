import { InputError } from '@notify/actions-shared';
import {
  DEPLOYED_BY_TAG,
  pickContainerName,
  renderTaskDefinition,
  taskDefinitionFamily,
} from '../src/task-definition.ts';
import { apiImage, apiService, liveTaskDefinition } from './fixtures.ts';

describe('renderTaskDefinition', () => {
  const live = {
    taskDefinition: liveTaskDefinition(apiService, 41, 'api'),
    tags: [
      { key: 'project', value: 'notify' },
      { key: 'aws:cloudformation:stack-name', value: 'x' },
    ],
  };

  it('drops the read-only fields RegisterTaskDefinition rejects', () => {
    const rendered = renderTaskDefinition(live, { image: apiImage('new'), containerName: 'api' });
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
      'deregisteredAt',
    ]) {
      expect(rendered).not.toHaveProperty(field);
    }
    // Everything Terraform set is kept as it runs now.
    expect(rendered).toMatchObject({
      family: apiService,
      taskRoleArn: live.taskDefinition.taskRoleArn,
      executionRoleArn: live.taskDefinition.executionRoleArn,
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      requiresCompatibilities: ['FARGATE'],
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    });
  });

  it('swaps only the named container image and keeps the rest of it', () => {
    const rendered = renderTaskDefinition(live, { image: apiImage('new'), containerName: 'api' });
    const [api, router] = rendered.containerDefinitions ?? [];
    expect(api).toEqual({
      ...live.taskDefinition.containerDefinitions?.[0],
      image: apiImage('new'),
    });
    expect(router).toEqual(live.taskDefinition.containerDefinitions?.[1]);
    // The live object is not mutated.
    expect(live.taskDefinition.containerDefinitions?.[0].image).toBe(apiImage('old-sha'));
    expect(live.taskDefinition.revision).toBe(41);
  });

  it("keeps the caller's tags and drops AWS-reserved ones", () => {
    const rendered = renderTaskDefinition(live, { image: apiImage('new'), containerName: 'api' });
    expect(rendered.tags).toEqual([{ key: 'project', value: 'notify' }, DEPLOYED_BY_TAG]);
    expect(
      renderTaskDefinition({ ...live, tags: [] }, { image: 'x/y:z', containerName: 'api' }).tags,
    ).toEqual([DEPLOYED_BY_TAG]);
  });

  it('defaults to the first container and names the input when the container is unknown', () => {
    expect(pickContainerName(live.taskDefinition)).toBe('api');
    expect(pickContainerName(live.taskDefinition, 'log-router')).toBe('log-router');
    expect(() => pickContainerName(live.taskDefinition, 'web')).toThrow(InputError);
    expect(() => pickContainerName(live.taskDefinition, 'web')).toThrow(
      "Input 'container-name' must name a container of notify-staging-api:41; it has: api, log-router; got 'web'",
    );
  });
});

describe('taskDefinitionFamily', () => {
  it.each([
    [
      'arn:aws:ecs:us-east-1:123456789012:task-definition/notify-staging-api:42',
      'notify-staging-api',
    ],
    ['notify-staging-api:7', 'notify-staging-api'],
    ['notify-staging-api', 'notify-staging-api'],
  ])('%s -> %s', (input, family) => {
    expect(taskDefinitionFamily(input)).toBe(family);
  });
});

describe('deploy tag', () => {
  it('marks every rendered revision as registered by the deploy action, once', () => {
    const live = {
      taskDefinition: liveTaskDefinition(apiService, 41, 'api'),
      tags: [{ key: 'project', value: 'notify' }, DEPLOYED_BY_TAG],
    };
    const rendered = renderTaskDefinition(live, { image: apiImage('new'), containerName: 'api' });
    expect(rendered.tags).toEqual([{ key: 'project', value: 'notify' }, DEPLOYED_BY_TAG]);
  });
});
