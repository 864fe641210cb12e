// Status webhooks in AWS (issue 14), read from the modules' own HCL: the webhooks queue and its
// DLQ, the worker's task role holding exactly the queue operations the dispatcher and the
// status hook make, the clients' configuration injected from its own secret that only the
// worker's execution role reads, egress to the endpoints, and the alarms on lost deliveries.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import {
  actionsOf,
  blocks,
  loadModule,
  modulesDir,
  terraformDir,
  type Hcl,
  type HclModule,
} from './hcl-module.ts';

const webhooksSrc = join(terraformDir, '../services/email-sender/src/webhooks');

let sqs: HclModule;
let ecsService: HclModule;
let monitoring: HclModule;
let platform: HclModule;
beforeAll(async () => {
  [sqs, ecsService, monitoring, platform] = await Promise.all(
    ['sqs-queue', 'ecs-service', 'monitoring', 'platform'].map((name) =>
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

/** Static and dynamic statements: hcl2json keeps `dynamic` as an object (or array) of arrays. */
function allStatements(document: Hcl): Hcl[] {
  const dynamic = (document.dynamic ?? {}) as Record<string, Hcl[]> | Record<string, Hcl[]>[];
  const dynamicStatements = (Array.isArray(dynamic) ? dynamic : [dynamic])
    .flatMap((d) => d.statement ?? [])
    .flatMap((d) => blocks(d, 'content'));
  return [...blocks(document, 'statement'), ...dynamicStatements];
}

/** The non-KMS statement of one of the sqs-queue module's identity-policy documents. */
function queueStatement(document: string): Hcl {
  const found = blocks(sqs.data('aws_iam_policy_document', document), 'statement');
  expect(found).toHaveLength(1);
  return found[0];
}

describe('the webhooks queue', () => {
  test('is <name>-webhooks with the visibility, retention and redrive the retries need', () => {
    const queue = platform.moduleCall('webhooks_queue');
    expect(queue.source).toBe('../sqs-queue');
    expect(queue.name).toBe('${local.name}-webhooks');
    expect(queue.visibility_timeout_seconds).toBe(60);
    // The schedule spans about 28 h; the queue must keep a job well beyond that.
    expect(queue.message_retention_seconds).toBe(4 * 24 * 3600);
    expect(queue.dlq_message_retention_seconds).toBe(14 * 24 * 3600);
    // A safety net above the dispatcher's own 8 attempts, not the retry limit.
    expect(queue.max_receive_count).toBe(20);
    // Merged with the email and events queues' documents: ids must not collide.
    expect(queue.statement_id_prefix).toMatch(/^[A-Za-z0-9]+$/);
    expect(queue.statement_id_prefix).not.toBe(
      platform.moduleCall('queue').statement_id_prefix ?? '',
    );
  });

  test('only the worker sends to, consumes and dead-letters into it', () => {
    const queue = platform.moduleCall('webhooks_queue');
    const worker = ['${module.worker.task_role_arn}'];
    expect(queue.producer_role_arns).toEqual(worker);
    expect(queue.consumer_role_arns).toEqual(worker);
    expect(queue.dlq_producer_role_arns).toEqual(worker);
    expect(queue.service_producers).toBeUndefined();
    expect(queue.operator_role_arns).toBe('${var.queue_operator_role_arns}');
  });
});

describe("the worker's task role", () => {
  test('merges the webhooks queue documents, and the API does not', () => {
    const worker = platform.data('aws_iam_policy_document', 'worker_task')
      .source_policy_documents as string[];
    expect(worker).toEqual(
      expect.arrayContaining([
        '${module.webhooks_queue.producer_policy_json}',
        '${module.webhooks_queue.consumer_policy_json}',
        '${module.webhooks_queue.dlq_producer_policy_json}',
      ]),
    );
    const api = platform.data('aws_iam_policy_document', 'api_task')
      .source_policy_documents as string[];
    expect(api.filter((d) => d.includes('webhooks_queue'))).toEqual([]);
  });

  test('those documents grant receive, delete, change visibility, attributes, send on the queue and send on the DLQ', async () => {
    const consumeActions = (await locals(join(modulesDir, 'sqs-queue')))
      .consume_actions as string[];
    expect([...consumeActions].sort()).toEqual([
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:ReceiveMessage',
    ]);

    const consumer = queueStatement('consumer');
    expect(consumer.actions).toBe('${concat(local.consume_actions, ["sqs:GetQueueAttributes"])}');
    expect(consumer.resources).toEqual(['${aws_sqs_queue.this.arn}']);

    const producer = queueStatement('producer');
    expect([...actionsOf(producer)].sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:SendMessage']);
    expect(producer.resources).toEqual(['${aws_sqs_queue.this.arn}']);

    const dlqProducer = queueStatement('dlq_producer');
    expect(actionsOf(dlqProducer)).toContain('sqs:SendMessage');
    expect(dlqProducer.resources).toEqual(['${aws_sqs_queue.dlq.arn}']);

    for (const s of [consumer, producer, dlqProducer]) {
      expect(String(s.sid)).toMatch(/^\$\{var\.statement_id_prefix\}/);
    }
  });
});

describe("the worker's settings", () => {
  test('the webhooks queue and DLQ under the names the worker reads', () => {
    const environment = platform.moduleCall('worker').environment as Hcl;
    expect(environment.WEBHOOKS_QUEUE_URL).toBe('${module.webhooks_queue.queue_url}');
    expect(environment.WEBHOOKS_DLQ_URL).toBe('${module.webhooks_queue.dlq_url}');
    expect(environment.WEBHOOKS_VISIBILITY_TIMEOUT_SECONDS).toBe(
      '${tostring(module.webhooks_queue.visibility_timeout_seconds)}',
    );
    const config = readFileSync(join(webhooksSrc, 'config.ts'), 'utf8');
    for (const name of [
      'WEBHOOKS_QUEUE_URL',
      'WEBHOOKS_DLQ_URL',
      'WEBHOOKS_VISIBILITY_TIMEOUT_SECONDS',
      'WEBHOOK_CLIENTS',
    ]) {
      expect(config).toContain(`${name}:`);
    }
    expect(platform.moduleCall('api').environment as Hcl).not.toHaveProperty('WEBHOOKS_QUEUE_URL');
  });

  test('WEBHOOK_CLIENTS comes from its own secret, injected into the worker only', () => {
    const secret = platform.moduleCall('webhook_clients');
    expect(secret.source).toBe('../secrets');
    expect(secret.name).toBe('${local.name}/webhook-clients');
    expect(String(secret.description)).toContain('WEBHOOK_CLIENTS');

    expect(platform.moduleCall('worker').secrets).toEqual({
      WEBHOOK_CLIENTS: '${module.webhook_clients.secret_arn}',
    });
    expect(platform.moduleCall('api').secrets).toEqual({
      API_TOKENS: '${module.api_tokens.secret_arn}',
    });
  });

  test('the execution role reads exactly the secrets the service is given', () => {
    const execution = ecsService.data('aws_iam_policy_document', 'task_exec');
    const reads = allStatements(execution).filter((s) =>
      actionsOf(s).includes('secretsmanager:GetSecretValue'),
    );
    expect(reads).toEqual([
      {
        sid: 'ReadOwnSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: '${local.secret_arns}',
      },
    ]);
    expect(ecsService.text).toMatch(
      /secret_arns\s*=\s*distinct\(\[for v in values\(var\.secrets\)/,
    );
  });

  test('its tasks may open HTTPS to any address, so the endpoints are reachable through NAT', () => {
    const https = ecsService.resource('aws_vpc_security_group_egress_rule', 'https');
    expect([https.cidr_ipv4, https.ip_protocol, https.from_port, https.to_port]).toEqual([
      '0.0.0.0/0',
      'tcp',
      443,
      443,
    ]);
    expect(https.count).toBeUndefined();
  });
});

describe('alarms and dashboard', () => {
  test('the webhooks DLQ alarms on its first message', () => {
    const alarm = monitoring.resource('aws_cloudwatch_metric_alarm', 'webhooks_dlq_not_empty');
    expect([alarm.namespace, alarm.metric_name]).toEqual([
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
    ]);
    expect(alarm.dimensions).toEqual({ QueueName: '${var.webhooks_dlq_name}' });
    expect([alarm.threshold, alarm.comparison_operator]).toEqual([0, 'GreaterThanThreshold']);
    expect(alarm.alarm_actions).toBe('${local.alarm_actions}');
    const call = platform.moduleCall('monitoring');
    expect(call.webhooks_dlq_name).toBe('${module.webhooks_queue.dlq_name}');
    expect(call.webhooks_queue_name).toBe('${module.webhooks_queue.queue_name}');
  });

  test.each([
    ['webhook_dead_lettered', 'dead_lettered', 'WebhookDeadLettered', 'dispatcher.ts'],
    ['webhook_enqueue_failed', 'enqueue_failed', 'WebhookEnqueueFailed', 'status-hook.ts'],
  ])(
    '%s sums %s over every dimension of the metric the worker emits',
    async (name, key, metric, source) => {
      const alarm = monitoring.resource('aws_cloudwatch_metric_alarm', name);
      expect([alarm.threshold, alarm.comparison_operator]).toEqual([0, 'GreaterThanThreshold']);
      expect(alarm.alarm_actions).toBe('${local.alarm_actions}');
      expect(alarm.treat_missing_data).toBe('notBreaching');
      const [query] = blocks(alarm, 'metric_query');
      expect(query.expression).toBe(`\${local.webhook_failure_query.${key}}`);
      expect(query.return_data).toBe(true);

      const expression = String(
        ((await locals(join(modulesDir, 'monitoring'))).webhook_failure_query as string) ?? '',
      );
      expect(expression).toContain('SELECT SUM(\\"${var.webhook_metric_names[key]}\\")');
      expect(expression).toContain("WHERE Service = '${var.worker_metric_service}'");
      expect(expression).not.toContain('GROUP BY');

      // The default name is what the worker emits, under the namespace and Service it uses.
      const names = monitoring.variable('webhook_metric_names').type as string;
      expect(names).toMatch(new RegExp(`\\b${key}\\s+= optional\\(string, "${metric}"\\)`));
      expect(readFileSync(join(webhooksSrc, source), 'utf8')).toMatch(
        new RegExp(`emit\\(\\{ ${metric}: `),
      );
      const main = readFileSync(join(terraformDir, '../services/email-sender/src/main.ts'), 'utf8');
      expect(main).toContain(
        `Service: '${String(monitoring.variable('worker_metric_service').default)}'`,
      );
    },
  );

  test('the dashboard shows the webhooks queue and the deliveries', () => {
    expect(monitoring.text).toContain('title = "Webhooks queue"');
    expect(monitoring.text).toContain('title = "Webhook deliveries"');
    expect(monitoring.text).toMatch(/webhook_dead_lettered_by_kind_query = .*GROUP BY Kind"/);
  });
});
