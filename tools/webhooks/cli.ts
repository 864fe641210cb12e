// `npm run webhooks -- <command>`: receive (a local receiver that verifies signatures),
// replay (DLQ -> queue) and secret (a new whsec_ signing secret). See README.md.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SQSClient } from '@aws-sdk/client-sqs';
import { webhookSecretProblem } from '@notify/shared';
import { startReceiver } from './src/receiver.ts';
import { replayDeadLetters } from './src/replay.ts';

const LOCAL_SQS = 'http://127.0.0.1:4566/000000000000';
const usage = `usage:
  npm run webhooks -- receive [--port 4000] [--secret whsec_...]...
  npm run webhooks -- replay [--limit N] [--queue-url URL --dlq-url URL]
  npm run webhooks -- secret`;

const [command, ...rest] = process.argv.slice(2);

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

async function receive(): Promise<void> {
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string', default: '4000' },
      secret: { type: 'string', multiple: true },
    },
  });
  const secrets = values.secret ?? [process.env.LOCAL_WEBHOOK_SECRET ?? newSecret()];
  for (const secret of secrets) {
    const problem = webhookSecretProblem(secret);
    if (problem !== undefined) throw new Error(`--secret ${problem}`);
  }
  const receiver = await startReceiver({
    port: Number(values.port),
    secrets,
    onDelivery: (d) => {
      const mark = d.verified ? 'signature ok' : `signature INVALID (${d.problem})`;
      console.log(
        `\n#${d.number} ${new Date().toISOString()} webhook-id ${String(d.headers['webhook-id'])} ${mark}`,
      );
      console.log(d.verified ? JSON.stringify(d.event, null, 2) : d.body);
    },
  });
  console.log(`webhook receiver listening on ${receiver.url}, verifying with the standardwebhooks library.
Start the local stack pointed at it (another terminal):

  LOCAL_WEBHOOK_URL=${receiver.url} LOCAL_WEBHOOK_SECRET='${secrets[0]}' npm start

then send a notification (the curl the stack prints); its final status arrives here. Ctrl-C stops.`);
  const stop = () => void receiver.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function replay(): Promise<void> {
  const { values } = parseArgs({
    args: rest,
    options: {
      limit: { type: 'string' },
      'queue-url': { type: 'string' },
      'dlq-url': { type: 'string' },
    },
  });
  const queueUrl =
    values['queue-url'] ?? process.env.WEBHOOKS_QUEUE_URL ?? `${LOCAL_SQS}/notify-local-webhooks`;
  const dlqUrl =
    values['dlq-url'] ?? process.env.WEBHOOKS_DLQ_URL ?? `${LOCAL_SQS}/notify-local-webhooks-dlq`;
  const local = queueUrl.startsWith('http://127.0.0.1');
  const sqs = new SQSClient(
    local
      ? {
          region: 'us-east-1',
          endpoint: new URL(queueUrl).origin,
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {},
  );
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new Error('--limit must be a positive integer');
  const moved = await replayDeadLetters({
    sqs,
    dlqUrl,
    queueUrl,
    limit,
    onJob: (m) =>
      console.log(
        `replayed ${m.MessageId} (was: ${m.MessageAttributes?.['failure-reason']?.StringValue ?? 'no reason recorded'})`,
      ),
  });
  sqs.destroy();
  console.log(`${moved} job(s) moved from ${dlqUrl} to ${queueUrl}`);
}

try {
  if (command === 'receive') await receive();
  else if (command === 'replay') await replay();
  else if (command === 'secret') console.log(newSecret());
  else {
    console.error(usage);
    process.exit(2);
  }
} catch (error) {
  console.error(`webhooks ${command}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
