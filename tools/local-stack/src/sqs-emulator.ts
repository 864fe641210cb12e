// Runs fauxqs (the SQS emulator) on loopback only. Two things differ from its own CLI:
// - the CLI always listens on 0.0.0.0; here the app is bound to 127.0.0.1;
// - the CLI's queue URLs use the host `sqs.<region>.localhost`, which the AWS SDK uses as the
//   request endpoint (SQS `useQueueUrlAsEndpoint`) and which does not resolve on every machine.
//   With an empty store host, fauxqs builds queue URLs from the request's Host header instead
//   (`http://127.0.0.1:<port>/000000000000/<name>`), which resolves everywhere.
// The stores are imported by file, next to the app, because fauxqs' package exports list only
// its app.
import { buildApp } from 'fauxqs';

const fauxqsDist = import.meta.resolve('fauxqs');
const { SqsStore } = await import(new URL('./sqs/sqsStore.js', fauxqsDist).href);
const { SnsStore } = await import(new URL('./sns/snsStore.js', fauxqsDist).href);
const { S3Store } = await import(new URL('./s3/s3Store.js', fauxqsDist).href);

const port = Number(process.env.SQS_EMULATOR_PORT ?? 4566);
const sqsStore = new SqsStore();
sqsStore.host = '';
const app = buildApp({
  logger: false,
  stores: { sqsStore, snsStore: new SnsStore(), s3Store: new S3Store() },
});
await app.listen({ port, host: '127.0.0.1' });
console.log(`sqs emulator (fauxqs) listening on http://127.0.0.1:${port}`);

const stop = () => {
  void app.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
