// The notification status path in AWS (issue 13), read from the modules' own HCL: SES publishes
// every event the status code reads to the default bus, one rule narrowed to the environment's
// configuration set feeds the events queue, only that rule may send to the queue and its DLQ,
// and each task role gets exactly what it uses. Names follow terraform/../status-design.md.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { STATUS_DETAIL_TYPES } from '../../services/shared/src/status/ses-events.ts';
import { blocks, loadModule, modulesDir, type Hcl, type HclModule } from './hcl-module.ts';

const fixturesDir = join(__dirname, '../../services/shared/test/status/fixtures');

let ses: HclModule;
let sesEvents: HclModule;
let sqs: HclModule;
let table: HclModule;
let monitoring: HclModule;
let platform: HclModule;
beforeAll(async () => {
  [ses, sesEvents, sqs, table, monitoring, platform] = await Promise.all(
    ['ses', 'ses-events', 'sqs-queue', 'status-table', 'monitoring', 'platform'].map((name) =>
      loadModule(join(modulesDir, name)),
    ),
  );
});

/** A module's `locals` blocks merged (hcl-module leaves them out). */
async function locals(dir: string): Promise<Hcl> {
  const merged: Hcl = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const body = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Hcl;
    for (const block of (body.locals as Hcl[] | undefined) ?? []) Object.assign(merged, block);
  }
  return merged;
}

/** Static and dynamic blocks of one name: hcl2json keeps `dynamic` as an object of arrays. */
function allBlocks(body: Hcl, name: string): Hcl[] {
  const dynamic = (body.dynamic ?? {}) as Record<string, Hcl[]> | Record<string, Hcl[]>[];
  const dynamicOfName = (Array.isArray(dynamic) ? dynamic : [dynamic]).flatMap(
    (d) => d[name] ?? [],
  );
  return [...blocks(body, name), ...dynamicOfName.flatMap((d) => blocks(d, 'content'))];
}

function statementsOf(document: Hcl): Hcl[] {
  return allBlocks(document, 'statement');
}

function bySid(document: Hcl, sid: string): Hcl {
  const found = statementsOf(document).find((s) => String(s.sid).startsWith(sid));
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

describe('SES publishes the events the status code reads', () => {
  test('to the default EventBridge bus (the only bus SES publishes to)', () => {
    const destination = ses.resource(
      'aws_sesv2_configuration_set_event_destination',
      'eventbridge',
    );
    const definition = blocks(destination, 'event_destination')[0];
    expect(blocks(definition, 'event_bridge_destination')).toEqual([
      { event_bus_arn: '${data.aws_cloudwatch_event_bus.default[0].arn}' },
    ]);
    expect(ses.data('aws_cloudwatch_event_bus', 'default').name).toBe('default');
    expect(definition.enabled).toBe(true);
    expect(ses.variable('create_event_destination').default).toBe(true);
    expect(platform.moduleCall('email').create_event_destination).toBeUndefined();
  });

  test('every detail-type parseSesEvent understands is published, and nothing it ignores', async () => {
    const definition = blocks(
      ses.resource('aws_sesv2_configuration_set_event_destination', 'eventbridge'),
      'event_destination',
    )[0];
    expect(definition.matching_event_types).toBe('${var.event_types}');
    // The platform keeps the module's default and hands the same list to the rule.
    expect(platform.moduleCall('email').event_types).toBeUndefined();
    expect(platform.moduleCall('status_events').event_types).toBe('${module.email.event_types}');

    const published = ses.variable('event_types').default as string[];
    const detailTypeOf = (await locals(join(modulesDir, 'ses-events'))).detail_types as Record<
      string,
      string
    >;
    expect(published.map((type) => detailTypeOf[type]).sort()).toEqual(
      Object.keys(STATUS_DETAIL_TYPES).sort(),
    );
  });
});

describe('the EventBridge rule', () => {
  test("takes only aws.ses events of this environment's configuration set, on the default bus", () => {
    const rule = sesEvents.resource('aws_cloudwatch_event_rule', 'ses_events');
    expect(rule.event_bus_name).toBe('default');
    const pattern = String(rule.event_pattern);
    expect(pattern).toMatch(/source\s*=\s*\["aws\.ses"\]/);
    expect(pattern).toMatch(
      /"detail-type"\s*=\s*\[for t in var\.event_types : local\.detail_types\[t\]\]/,
    );
    expect(pattern).toMatch(
      /detail\s*=\s*\{\s*mail\s*=\s*\{\s*tags\s*=\s*\{\s*"ses:configuration-set"\s*=\s*\[var\.configuration_set_name\]/,
    );
    expect(platform.moduleCall('status_events').configuration_set_name).toBe(
      '${module.email.configuration_set_name}',
    );
  });

  test.each(readdirSync(fixturesDir).filter((f) => f.endsWith('.json')))(
    'AWS event %s carries the configuration set in mail.tags, where the rule matches it',
    (file) => {
      const event = JSON.parse(readFileSync(join(fixturesDir, file), 'utf8'));
      expect(event.source).toBe('aws.ses');
      const configurationSet = String(event.resources[0]).split('configuration-set/')[1];
      expect(event.detail.mail.tags['ses:configuration-set']).toEqual([configurationSet]);
    },
  );

  test('delivers to the events queue, and what it cannot deliver to the DLQ', () => {
    const target = sesEvents.resource('aws_cloudwatch_event_target', 'queue');
    expect(target.rule).toBe('${aws_cloudwatch_event_rule.ses_events.name}');
    expect(target.arn).toBe('${module.queue.queue_arn}');
    expect(blocks(target, 'dead_letter_config')).toEqual([{ arn: '${module.queue.dlq_arn}' }]);
  });
});

describe('only that rule may send to the events queue and its DLQ', () => {
  const fromTheRule = [
    {
      service: 'events.amazonaws.com',
      source_arns: ['${aws_cloudwatch_event_rule.ses_events.arn}'],
    },
  ];

  test('the queue names the rule as its one producer, for the queue and the DLQ', () => {
    const queue = sesEvents.moduleCall('queue');
    expect(queue.name).toBe('${var.name}-ses-events');
    expect(queue.producer_role_arns).toEqual([]);
    expect(queue.service_producers).toEqual(fromTheRule);
    expect(queue.dlq_service_producers).toEqual(fromTheRule);
    expect(platform.moduleCall('status_events').max_receive_count).toBe(5);
  });

  test.each([
    ['queue', 'AllowServiceProducer', 'aws_sqs_queue.this.arn', 'var.service_producers'],
    ['dlq', 'AllowDlqServiceProducer', 'aws_sqs_queue.dlq.arn', 'var.dlq_service_producers'],
  ])(
    '%s policy: a service may SendMessage only with aws:SourceArn equal to a listed source',
    (document, sid, arn, producers) => {
      const policy = sqs.data('aws_iam_policy_document', document);
      const allow = bySid(policy, sid);
      expect(allow.effect ?? 'Allow').toBe('Allow');
      expect(allow.actions).toEqual(['sqs:SendMessage']);
      expect(allow.resources).toEqual([`\${${arn}}`]);
      expect(blocks(allow, 'principals')).toEqual([
        { type: 'Service', identifiers: ['${statement.value.service}'] },
      ]);
      expect(blocks(allow, 'condition')).toEqual([
        { test: 'ArnEquals', variable: 'aws:SourceArn', values: '${statement.value.source_arns}' },
      ]);

      const dynamicAllow = ((policy.dynamic as Record<string, Hcl[]>).statement ?? []).find(
        (d) => blocks(d, 'content')[0] === allow,
      );
      expect(String(dynamicAllow?.for_each)).toContain(producers);
    },
  );

  test.each([
    ['queue', 'DenySendExceptProducers', 'local.queue_service_source_arns'],
    ['dlq', 'DenySendExceptDlqProducers', 'local.dlq_service_source_arns'],
  ])(
    '%s policy: every other sender is denied, a service too, unless its aws:SourceArn is listed',
    (document, sid, sourceArns) => {
      const deny = bySid(sqs.data('aws_iam_policy_document', document), sid);
      expect(deny.effect).toBe('Deny');
      expect(deny.actions).toEqual(['sqs:SendMessage']);
      const conditions = allBlocks(deny, 'condition');
      expect(conditions).toContainEqual({
        test: 'ArnNotEquals',
        variable: 'aws:SourceArn',
        values: `\${${sourceArns}}`,
      });
      expect(conditions.map((c) => c.variable).sort()).toEqual([
        'aws:PrincipalArn',
        'aws:SourceArn',
      ]);
    },
  );
});

describe('the status table', () => {
  test('has the keys, indexes and TTL of status-design.md', () => {
    const resource = table.resource('aws_dynamodb_table', 'this');
    expect(resource.billing_mode).toBe('PAY_PER_REQUEST');
    expect([resource.hash_key, resource.range_key]).toEqual(['pk', 'sk']);
    expect(blocks(resource, 'global_secondary_index')).toEqual([
      { name: 'by-reference', hash_key: 'gsi1pk', range_key: 'gsi1sk', projection_type: 'ALL' },
      { name: 'by-ses-message', hash_key: 'gsi2pk', projection_type: 'KEYS_ONLY' },
      { name: 'by-change', hash_key: 'gsi3pk', range_key: 'gsi3sk', projection_type: 'ALL' },
    ]);
    expect(blocks(resource, 'attribute')).toEqual(
      ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi3pk', 'gsi3sk'].map((name) => ({
        name,
        type: 'S',
      })),
    );
    expect(blocks(resource, 'ttl')).toEqual([{ attribute_name: 'expiresAt', enabled: true }]);
    expect(blocks(resource, 'server_side_encryption')[0].enabled).toBe(true);
    expect(table.variable('point_in_time_recovery_enabled').default).toBe(true);
    expect(platform.moduleCall('status_table').name).toBe('${local.name}-status');
  });

  test.each([
    ['api', ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem']],
    [
      'worker',
      [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
      ],
    ],
  ])(
    "the %s's policy: its item actions on the table, Query on the table and indexes, nothing else",
    (role, itemActions) => {
      const statements = statementsOf(table.data('aws_iam_policy_document', role));
      const dynamo = statements.filter((s) =>
        (s.actions as string[]).some((a) => a.startsWith('dynamodb:')),
      );
      expect(dynamo).toHaveLength(2);
      const items = dynamo.find((s) => !(s.actions as string[]).includes('dynamodb:Query'));
      expect([...((items?.actions as string[]) ?? [])].sort()).toEqual(itemActions);
      expect(items?.resources).toEqual(['${aws_dynamodb_table.this.arn}']);
      const query = dynamo.find((s) => (s.actions as string[]).includes('dynamodb:Query'));
      expect(query?.actions).toEqual(['dynamodb:Query']);
      expect(query?.resources).toBe('${concat([aws_dynamodb_table.this.arn], local.index_arns)}');
    },
  );
});

describe('the task roles and environments', () => {
  test('each role merges exactly its own status documents', () => {
    expect(platform.data('aws_iam_policy_document', 'api_task').source_policy_documents).toEqual(
      expect.arrayContaining(['${module.status_table.api_policy_json}']),
    );
    const worker = platform.data('aws_iam_policy_document', 'worker_task')
      .source_policy_documents as string[];
    expect(worker).toEqual(
      expect.arrayContaining([
        '${module.status_table.worker_policy_json}',
        '${module.status_events.consumer_policy_json}',
        '${module.status_events.dlq_producer_policy_json}',
      ]),
    );
    expect(worker).not.toContain('${module.status_table.api_policy_json}');
    // source_policy_documents rejects duplicate statement ids: the two queues' must differ.
    expect(sesEvents.moduleCall('queue').statement_id_prefix).toMatch(/^[A-Za-z0-9]+$/);
  });

  test('the services get the status settings under the shared names', () => {
    const api = platform.moduleCall('api').environment as Hcl;
    const worker = platform.moduleCall('worker').environment as Hcl;
    for (const env of [api, worker]) {
      expect(env.STATUS_TABLE).toBe('${module.status_table.table_name}');
      expect(env.STATUS_RETENTION_DAYS).toBe('${tostring(var.status_retention_days)}');
    }
    expect(worker.EVENTS_QUEUE_URL).toBe('${module.status_events.queue_url}');
    expect(worker.SES_CONFIGURATION_SET).toBe('${module.email.configuration_set_name}');
    expect(api.EVENTS_QUEUE_URL).toBeUndefined();
    expect(platform.variable('status_retention_days').default).toBe(30);
  });
});

describe('alarms', () => {
  test('the events DLQ alarms on its first message', () => {
    const alarm = monitoring.resource('aws_cloudwatch_metric_alarm', 'events_dlq_not_empty');
    expect(alarm.metric_name).toBe('ApproximateNumberOfMessagesVisible');
    expect(alarm.dimensions).toEqual({ QueueName: '${var.events_dlq_name}' });
    expect([alarm.threshold, alarm.comparison_operator]).toEqual([0, 'GreaterThanThreshold']);
    expect(platform.moduleCall('monitoring').events_dlq_name).toBe(
      '${module.status_events.dlq_name}',
    );
  });

  test.each([
    ['ses_bounce_rate', 'Reputation.BounceRate', 'ses_bounce_rate_threshold', 0.05, 0.1],
    [
      'ses_complaint_rate',
      'Reputation.ComplaintRate',
      'ses_complaint_rate_threshold',
      0.001,
      0.005,
    ],
  ])(
    '%s watches AWS/SES %s well below the rate at which AWS pauses sending',
    (name, metric, threshold, value, pause) => {
      const alarm = monitoring.resource('aws_cloudwatch_metric_alarm', name);
      expect([alarm.namespace, alarm.metric_name]).toEqual(['AWS/SES', metric]);
      expect(alarm.threshold).toBe(`\${var.${threshold}}`);
      expect(alarm.alarm_actions).toBe('${local.alarm_actions}');
      expect(monitoring.variable(threshold).default).toBe(value);
      expect(value).toBeLessThan(pause);
    },
  );
});
