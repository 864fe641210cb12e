// The environment the local stack gives each service: the same variables as the ECS task
// definitions in terraform/, with local values.
import type { LocalResources } from './provision.ts';

/** The documented development token; accepted only because the local stack sets ALLOW_DEV_TOKEN. */
export const DEV_TOKEN = 'local-dev-token';
/** The client id the development token belongs to (API_TOKENS in apiEnv). */
export const DEV_CLIENT_ID = 'local-dev';
export const LOCAL_SENDER = 'Notify Local <notifications@notify.local>';
/** SES_CONFIGURATION_SET locally; the SES event source publishes events only for sends with it. */
export const LOCAL_CONFIGURATION_SET = 'notify-local';

export function apiEnv(
  awsEnv: Record<string, string>,
  resources: LocalResources,
  port: number,
): Record<string, string> {
  return {
    ...awsEnv,
    HOST: '127.0.0.1',
    PORT: String(port),
    QUEUE_URL: resources.queueUrl,
    IDEMPOTENCY_TABLE: resources.idempotencyTable,
    STATUS_TABLE: resources.statusTable,
    API_TOKENS: JSON.stringify({ 'local-dev': DEV_TOKEN }),
    ALLOW_DEV_TOKEN: 'true',
    ENVIRONMENT: 'local',
  };
}

export function workerEnv(
  awsEnv: Record<string, string>,
  resources: LocalResources,
  opsPort: number,
): Record<string, string> {
  return {
    ...awsEnv,
    QUEUE_URL: resources.queueUrl,
    DLQ_URL: resources.dlqUrl,
    EVENTS_QUEUE_URL: resources.eventsQueueUrl,
    SES_CONFIGURATION_SET: LOCAL_CONFIGURATION_SET,
    STATUS_TABLE: resources.statusTable,
    EMAIL_FROM: LOCAL_SENDER,
    OPS_HOST: '127.0.0.1',
    OPS_PORT: String(opsPort),
    ENVIRONMENT: 'local',
  };
}

/**
 * The worker's webhook variables. LOCAL_WEBHOOK_URL and LOCAL_WEBHOOK_SECRET, when set, give
 * the development client a webhook endpoint (final statuses); loopback is allowed only here.
 */
export function webhookWorkerEnv(
  resources: Pick<LocalResources, 'webhooksQueueUrl' | 'webhooksDlqUrl'>,
  local: { LOCAL_WEBHOOK_URL?: string; LOCAL_WEBHOOK_SECRET?: string },
): Record<string, string> {
  const env: Record<string, string> = {
    WEBHOOKS_QUEUE_URL: resources.webhooksQueueUrl,
    WEBHOOKS_DLQ_URL: resources.webhooksDlqUrl,
    WEBHOOKS_ALLOW_LOOPBACK: 'true',
  };
  const url = local.LOCAL_WEBHOOK_URL?.trim();
  const secret = local.LOCAL_WEBHOOK_SECRET?.trim();
  if (url && secret) {
    env.WEBHOOK_CLIENTS = JSON.stringify({ [DEV_CLIENT_ID]: { url, secrets: [secret] } });
  } else if (url || secret) {
    throw new Error('set both LOCAL_WEBHOOK_URL and LOCAL_WEBHOOK_SECRET, or neither');
  }
  return env;
}

/** What the banner says about webhooks: where they go, or how to receive them. */
export function webhookBanner(local: { LOCAL_WEBHOOK_URL?: string }): string {
  if (local.LOCAL_WEBHOOK_URL?.trim()) {
    return ` Webhooks (final statuses, signed) go to ${local.LOCAL_WEBHOOK_URL.trim()}\n`;
  }
  return [
    ' Webhooks: run a receiver and restart with its URL and secret:',
    '   npm run webhooks -- receive --port 4000            (prints a secret to use)',
    "   LOCAL_WEBHOOK_URL=http://127.0.0.1:4000/ LOCAL_WEBHOOK_SECRET='whsec_...' npm start",
    '',
  ].join('\n');
}

export function curlExample(apiPort: number, token: string): string {
  const body = JSON.stringify({
    to: 'jane@example.com',
    subject: 'Hello from the local stack',
    text: 'It works.',
  });
  return [
    `curl -i -X POST http://127.0.0.1:${apiPort}/v1/notifications \\`,
    `  -H 'Authorization: Bearer ${token}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d '${body}'`,
  ].join('\n');
}

interface StackPorts {
  sqs: number;
  ses: number;
  sesEvents: number;
  dynamodb: number;
  api: number;
  worker: number;
}

export function banner(ports: StackPorts, token: string): string {
  return `
==========================================================================
 notification platform: local stack is up
--------------------------------------------------------------------------
 notification-api   http://127.0.0.1:${ports.api}   (token: ${token})
 email-sender ops   http://127.0.0.1:${ports.worker}/status
 SES v2 emulator    http://127.0.0.1:${ports.ses}/   <- sent mail shows here
 SES event source   http://127.0.0.1:${ports.sesEvents}   (the worker sends here; SES events -> events queue)
 SQS emulator       http://127.0.0.1:${ports.sqs}
 DynamoDB emulator  http://127.0.0.1:${ports.dynamodb}
--------------------------------------------------------------------------
 Send a notification:

${curlExample(ports.api, token)}

 Then open http://127.0.0.1:${ports.ses}/ (or GET /store) to see the email.
 Ctrl-C stops everything.
==========================================================================
`;
}

export function emulatorBanner(
  ports: Pick<StackPorts, 'sqs' | 'ses' | 'dynamodb' | 'sesEvents'>,
  awsEnv: Record<string, string>,
  resources: LocalResources,
): string {
  const exports = Object.entries({
    ...awsEnv,
    QUEUE_URL: resources.queueUrl,
    DLQ_URL: resources.dlqUrl,
    EVENTS_QUEUE_URL: resources.eventsQueueUrl,
    IDEMPOTENCY_TABLE: resources.idempotencyTable,
    STATUS_TABLE: resources.statusTable,
  })
    .map(([k, v]) => `export ${k}='${v}'`)
    .join('\n');
  return `
emulators are up: SQS http://127.0.0.1:${ports.sqs}, SES v2 http://127.0.0.1:${ports.ses}/, DynamoDB http://127.0.0.1:${ports.dynamodb},
SES event source http://127.0.0.1:${ports.sesEvents} (in front of SES v2: sends through it publish SES events)

To run the services against them in other terminals, export these and then
\`npm run start:api\` (also set API_TOKENS, e.g. '["local-dev-token"]' with ALLOW_DEV_TOKEN=true)
and \`npm run start:worker\` (also set EMAIL_FROM):

${exports}

Ctrl-C stops the emulators.
`;
}
