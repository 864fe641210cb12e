// The extraction rules of terraform-schema.md on a miniature assembly shaped like the real one.
import { extractProviderTypes, type JsiiType } from '../jsii-schema.ts';
import { typeSelector } from '../selection.ts';

const registry = 'https://registry.terraform.io/providers/hashicorp/aws/6.66.0/docs';
const doc = (kind: string, page: string, anchor: string, cls: string): string =>
  `Docs at Terraform Registry: {@link ${registry}/${kind}/${page}#${anchor} ${cls}#${anchor}}.`;
const fqn = (name: string): string => `@cdktn/provider-aws.ecsService.${name}`;

const types: Record<string, JsiiType> = {
  [fqn('EcsService')]: {
    fqn: fqn('EcsService'),
    kind: 'class',
    docs: { summary: `Represents a {@link ${registry}/resources/ecs_service aws_ecs_service}.` },
    initializer: { parameters: [{ name: 'config', type: { fqn: fqn('EcsServiceConfig') } }] },
    // Getters: computed attributes, arguments and `<argument>Input`; statics are not attributes.
    properties: [
      { name: 'tfResourceType', static: true, type: { primitive: 'string' } },
      { name: 'arn', type: { primitive: 'string' } },
      { name: 'availabilityZoneRebalancing', type: { primitive: 'string' } },
      { name: 'name', type: { primitive: 'string' } },
      { name: 'nameInput', type: { primitive: 'string' } },
    ],
  },
  [fqn('EcsServiceConfig')]: {
    fqn: fqn('EcsServiceConfig'),
    kind: 'interface',
    properties: [
      {
        name: 'name',
        docs: { summary: doc('resources', 'ecs_service', 'name', 'EcsService') },
        type: { primitive: 'string' },
      },
      {
        name: 'desiredCount',
        optional: true,
        docs: { summary: doc('resources', 'ecs_service', 'desired_count', 'EcsService') },
        type: { primitive: 'number' },
      },
      {
        name: 'alarms',
        optional: true,
        docs: {
          summary: 'alarms block.',
          remarks: doc('resources', 'ecs_service', 'alarms', 'EcsService'),
        },
        type: { fqn: fqn('EcsServiceAlarms') },
      },
      {
        name: 'loadBalancer',
        docs: {
          summary: 'load_balancer block.',
          remarks: doc('resources', 'ecs_service', 'load_balancer', 'EcsService'),
        },
        type: {
          union: {
            types: [
              { fqn: 'cdktn.IResolvable' },
              {
                collection: { kind: 'array', elementtype: { fqn: fqn('EcsServiceLoadBalancer') } },
              },
            ],
          },
        },
      },
    ],
  },
  [fqn('EcsServiceAlarms')]: {
    fqn: fqn('EcsServiceAlarms'),
    kind: 'interface',
    properties: [
      {
        name: 'enable',
        docs: { summary: doc('resources', 'ecs_service', 'enable', 'EcsService') },
        type: { primitive: 'boolean' },
      },
    ],
  },
  [fqn('EcsServiceLoadBalancer')]: {
    fqn: fqn('EcsServiceLoadBalancer'),
    kind: 'interface',
    properties: [
      {
        name: 'containerPort',
        docs: { summary: doc('resources', 'ecs_service', 'container_port', 'EcsService') },
        type: { primitive: 'number' },
      },
    ],
  },
  '@cdktn/provider-aws.dataAwsRegion.DataAwsRegion': {
    fqn: '@cdktn/provider-aws.dataAwsRegion.DataAwsRegion',
    kind: 'class',
    docs: { summary: `Represents a {@link ${registry}/data-sources/region aws_region}.` },
    initializer: {
      parameters: [
        { name: 'config', type: { fqn: '@cdktn/provider-aws.dataAwsRegion.DataAwsRegionConfig' } },
      ],
    },
  },
  '@cdktn/provider-aws.dataAwsRegion.DataAwsRegionConfig': {
    fqn: '@cdktn/provider-aws.dataAwsRegion.DataAwsRegionConfig',
    kind: 'interface',
    properties: [
      {
        name: 'region',
        optional: true,
        docs: { summary: doc('data-sources', 'region', 'region', 'DataAwsRegion') },
        type: { primitive: 'string' },
      },
    ],
  },
};

describe('extractProviderTypes', () => {
  const all = extractProviderTypes(types, () => true);

  test('reads the provider version from the registry links', () => {
    expect(all.providerVersion).toBe('6.66.0');
  });

  test('arguments by Terraform name with required/optional; blocks with required and max items', () => {
    expect(all.resources.get('aws_ecs_service')).toEqual({
      computed: ['arn', 'availability_zone_rebalancing'],
      arguments: { name: 'required', desired_count: 'optional' },
      blocks: {
        alarms: { maxItems: 1, block: { arguments: { enable: 'required' }, blocks: {} } },
        load_balancer: {
          required: true,
          block: { arguments: { container_port: 'required' }, blocks: {} },
        },
      },
    });
    expect(all.dataSources.get('aws_region')).toEqual({
      arguments: { region: 'optional' },
      blocks: {},
    });
  });

  test('keeps only the selected types (used ones plus the likely patterns)', () => {
    const used = { resources: new Set<string>(), dataSources: new Set(['aws_region']) };
    const some = extractProviderTypes(types, typeSelector(['aws_lb*'], used));
    expect([...some.resources.keys()]).toEqual([]);
    expect([...some.dataSources.keys()]).toEqual(['aws_region']);
  });
});
