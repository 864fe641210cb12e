// BASELINE (b), the naive API: what a first implementation does. Koa, the same request
// validation and envelope as the product, then one SQS SendMessage per request, awaited before
// the 202 (no batching, no rate limit, no idempotency, no logging). The product must beat it
// on throughput and on SQS requests per notification. Used only by `npm run bench`.
//   PORT=<port> QUEUE_URL=<url> AWS_ENDPOINT_URL_SQS=<url> node tools/bench/baselines/naive-api.ts
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import getRawBody from 'raw-body';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { awsClientConfig, serializeEnvelope, envelopeSchema } from '@notify/shared';
import { parseNotificationRequest } from '../../../services/notification-api/src/request-schema.ts';

const queueUrl = process.env.QUEUE_URL;
if (!queueUrl) {
  console.error('naive-api: QUEUE_URL is required');
  process.exit(2);
}
const sqs = new SQSClient(awsClientConfig());

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.path === '/readyz' || ctx.path === '/healthz') {
    ctx.body = { status: 'ready' };
    return;
  }
  if (ctx.method !== 'POST' || ctx.path !== '/v1/notifications') {
    ctx.status = 404;
    ctx.body = { error: { code: 'NOT_FOUND', message: 'no such route' } };
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(await getRawBody(ctx.req, { limit: 262_144, encoding: 'utf-8' }));
  } catch {
    ctx.status = 400;
    ctx.body = { error: { code: 'MALFORMED_JSON', message: 'request body is not valid JSON' } };
    return;
  }
  const parsed = parseNotificationRequest(body);
  if (!parsed.ok) {
    ctx.status = 400;
    ctx.body = { error: { code: 'VALIDATION_ERROR', message: 'invalid', details: parsed.details } };
    return;
  }
  const id = randomUUID();
  const envelope = envelopeSchema.parse({
    v: 1,
    id,
    createdAt: new Date().toISOString(),
    requestId: randomUUID(),
    email: parsed.request.email,
  });
  try {
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: serializeEnvelope(envelope) }),
    );
  } catch {
    ctx.status = 503;
    ctx.body = { error: { code: 'QUEUE_UNAVAILABLE', message: 'the queue is unavailable' } };
    return;
  }
  ctx.status = 202;
  ctx.body = { id, status: 'queued' };
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
