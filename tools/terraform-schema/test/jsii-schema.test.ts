// The extraction rules of terraform-schema.md on a miniature assembly shaped like the real one.
import { extractProviderTypes, type JsiiType } from '../jsii-schema.ts';
import { typeSelector } from '../selection.ts';

const registry = 'https://registry.terraform.io/providers/hashicorp/aws/6.66.0/docs';
const doc = (kind: string, page: string, anchor: string, cls: string): string =>
  `Docs at Terraform Registry: {@link ${registry}/${kind}/${page}#${anchor} ${cls}#${anchor}}.`;
const fqn = (name: string): string => `@cdktn/provider-aws.ecsService.${name}`;
type PropertyType = NonNullable<JsiiType['properties']>[number]['type'];

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

describe('extractProviderTypes on recursive and untyped blocks', () => {
  const waf = (name: string): string => `@cdktn/provider-aws.wafv2WebAclRule.${name}`;
  const wafDoc = (anchor: string): string =>
    doc('resources', 'wafv2_web_acl_rule', anchor, 'Wafv2WebAclRule');
  const repeatable = (name: string): PropertyType => ({
    union: {
      types: [
        { fqn: 'cdktn.IResolvable' },
        { collection: { kind: 'array', elementtype: { fqn: waf(name) } } },
      ],
    },
  });
  const block = (name: string, type: PropertyType, optional = true) => ({
    name: name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()),
    optional,
    docs: { summary: `${name} block.`, remarks: wafDoc(name) },
    type,
  });
  // statement -> and_statement -> statement: the same struct again, as the real bindings have it.
  const recursive: Record<string, JsiiType> = {
    [waf('Wafv2WebAclRule')]: {
      fqn: waf('Wafv2WebAclRule'),
      kind: 'class',
      docs: {
        summary: `Represents a {@link ${registry}/resources/wafv2_web_acl_rule aws_wafv2_web_acl_rule}.`,
      },
      initializer: {
        parameters: [{ name: 'config', type: { fqn: waf('Wafv2WebAclRuleConfig') } }],
      },
    },
    [waf('Wafv2WebAclRuleConfig')]: {
      fqn: waf('Wafv2WebAclRuleConfig'),
      kind: 'interface',
      properties: [
        block('statement', repeatable('Wafv2WebAclRuleStatement'), false),
        // The bindings type the deepest schemas as `any`: still a block, contents unknown.
        block('rule_label', { primitive: 'any' }),
      ],
    },
    [waf('Wafv2WebAclRuleStatement')]: {
      fqn: waf('Wafv2WebAclRuleStatement'),
      kind: 'interface',
      properties: [
        block('and_statement', repeatable('Wafv2WebAclRuleStatementAndStatement')),
        block('not_statement', { fqn: waf('Wafv2WebAclRuleStatementNotStatement') }),
        {
          name: 'labelKey',
          optional: true,
          docs: { summary: wafDoc('label_key') },
          type: { primitive: 'string' },
        },
      ],
    },
    [waf('Wafv2WebAclRuleStatementAndStatement')]: {
      fqn: waf('Wafv2WebAclRuleStatementAndStatement'),
      kind: 'interface',
      properties: [block('statement', repeatable('Wafv2WebAclRuleStatement'), false)],
    },
    [waf('Wafv2WebAclRuleStatementNotStatement')]: {
      fqn: waf('Wafv2WebAclRuleStatementNotStatement'),
      kind: 'interface',
      properties: [block('statement', { fqn: waf('Wafv2WebAclRuleStatement') }, false)],
    },
  };

  test('a struct that nests its ancestor points back at it instead of being unrolled', () => {
    const { resources } = extractProviderTypes(recursive, () => true);
    expect(resources.get('aws_wafv2_web_acl_rule')).toEqual({
      arguments: {},
      blocks: {
        statement: {
          required: true,
          block: {
            arguments: { label_key: 'optional' },
            blocks: {
              and_statement: {
                block: {
                  arguments: {},
                  blocks: { statement: { sameAsAncestor: 2, required: true } },
                },
              },
              not_statement: {
                maxItems: 1,
                block: {
                  arguments: {},
                  blocks: { statement: { sameAsAncestor: 2, required: true, maxItems: 1 } },
                },
              },
            },
          },
        },
        rule_label: { anyContent: true },
      },
    });
  });

  test('a struct nested deeper than the guard still fails loudly', () => {
    const deep: Record<string, JsiiType> = { ...recursive };
    const chain = Array.from({ length: 40 }, (_, i) => `Level${i}`);
    deep[waf('Wafv2WebAclRuleConfig')] = {
      fqn: waf('Wafv2WebAclRuleConfig'),
      kind: 'interface',
      properties: [block('level0', repeatable('Level0'))],
    };
    chain.forEach((name, i) => {
      deep[waf(name)] = {
        fqn: waf(name),
        kind: 'interface',
        properties: i + 1 < chain.length ? [block(`level${i + 1}`, repeatable(chain[i + 1]))] : [],
      };
    });
    expect(() => extractProviderTypes(deep, () => true)).toThrow(/nesting deeper than 32/);
  });
});
