// BASELINE (c), the naive worker: what a first implementation does. One loop: receive ONE
// message (long poll), send it with SES, delete that one message, repeat. Same envelope parsing
// and SES request as the product; no concurrency, no batching, no retries beyond SQS's own
// redelivery. The product must beat its emails/s and its SQS requests per email. Used only by
// `npm run bench`; /readyz answers once the loop runs.
//   OPS_PORT=<port> QUEUE_URL=<url> EMAIL_FROM=<from> AWS_ENDPOINT_URL_SQS=.. AWS_ENDPOINT_URL_SESV2=..
import { createServer } from 'node:http';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, parseEnvelope } from '@notify/shared';
import { buildSendEmailInput } from '../../../services/email-sender/src/ses-adapter.ts';

const queueUrl = process.env.QUEUE_URL;
const from = process.env.EMAIL_FROM;
if (!queueUrl || !from) {
  console.error('naive-worker: QUEUE_URL and EMAIL_FROM are required');
  process.exit(2);
}
const sqs = new SQSClient(awsClientConfig({ requestTimeoutMs: 30_000 }));
const ses = new SESv2Client(awsClientConfig({ maxAttempts: 1 }));
let running = true;
let sent = 0;

const ops = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'ready', sent }));
});
ops.listen(Number(process.env.OPS_PORT ?? 0), '127.0.0.1');

async function loop(): Promise<void> {
  while (running) {
    try {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 1,
          WaitTimeSeconds: Number(process.env.WAIT_TIME_SECONDS ?? 20),
        }),
      );
      const message = out.Messages?.[0];
      if (!message) continue;
      const parsed = parseEnvelope(message.Body);
      if (parsed.ok) {
        await ses.send(new SendEmailCommand(buildSendEmailInput(parsed.envelope, { from: from! })));
        sent += 1;
      }
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    } catch (error) {
      // A first implementation logs and carries on; the message comes back after its timeout.
      console.error(`naive-worker: ${error instanceof Error ? error.message : String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
void loop();
process.once('SIGTERM', () => {
  running = false;
  ops.closeAllConnections();
  ops.close(() => process.exit(0));
});
