// BASELINE (a), the ceiling: a bare Koa endpoint on the same machine that reads the request
// body and answers 202 without any I/O, validation or logging. No real API can beat it, so the
// product's throughput as a share of this one says how much its own work (auth, validation,
// envelope, SQS round trip) costs. Not a product component; used only by `npm run bench`.
//   PORT=<port> node tools/bench/baselines/ceiling-api.ts
import { randomUUID } from 'node:crypto';
import Koa from 'koa';

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.path === '/readyz' || ctx.path === '/healthz') {
    ctx.body = { status: 'ready' };
    return;
  }
  // Consume the body as any endpoint must, then answer as the product does.
  for await (const _chunk of ctx.req) void _chunk;
  ctx.status = 202;
  ctx.body = { id: randomUUID(), status: 'queued' };
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
