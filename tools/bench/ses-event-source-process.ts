// Entry script: the local stack's SES event source (tools/local-stack/src/ses-event-source.ts,
// as `npm start` runs it) as a process of its own, so the bench's end-to-end runs publish the
// SES events EventBridge would (Send, then Delivery) and the worker's status consumer writes
// them, as in production. `GET /published` on SES_EVENTS_STATUS_PORT tells how many were
// published, by detail-type.
//   SES_EVENTS_SES_URL=<SES emulator> SES_EVENTS_PORT=<port> SES_EVENTS_STATUS_PORT=<port>
//   SES_EVENTS_SQS_ENDPOINT=<fauxqs> SES_EVENTS_QUEUE_URL=<events queue> node ses-event-source-process.ts
import { createServer } from 'node:http';
import { LOCAL_CONFIGURATION_SET, startSesEventSource } from '@notify/local-stack';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} must be set`);
    process.exit(2);
  }
  return value;
};

const source = await startSesEventSource({
  sesUrl: required('SES_EVENTS_SES_URL'),
  port: Number(required('SES_EVENTS_PORT')),
  sqsEndpoint: required('SES_EVENTS_SQS_ENDPOINT'),
  eventsQueueUrl: required('SES_EVENTS_QUEUE_URL'),
  configurationSets: [LOCAL_CONFIGURATION_SET],
  onError: (error) =>
    console.error(`ses events: ${error instanceof Error ? error.message : String(error)}`),
});
const status = createServer((req, res) => {
  if (req.url !== '/published') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(source.published));
});
status.listen(Number(required('SES_EVENTS_STATUS_PORT')), '127.0.0.1', () => {
  console.log(
    `SES event source on ${source.url}, publishing to ${process.env.SES_EVENTS_QUEUE_URL}`,
  );
});
process.once('SIGTERM', () => {
  status.closeAllConnections();
  status.close();
  void source.stop().then(() => process.exit(0));
});
