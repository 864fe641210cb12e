// `npm start`: the whole product on one machine. Emulators for SQS, SES v2 and DynamoDB on
// loopback, the queues + dead-letter queues + tables, the SES event source (what SES's event
// publishing does in AWS), then notification-api and email-sender as separate processes
// configured exactly as in AWS (only endpoints differ).
// `--only emulators` stops after the emulators and prints the variables for start:api/start:worker.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulators, DEFAULT_EMULATOR_PORTS, type Emulators } from './emulators.ts';
import { provisionLocalResources, type LocalResources } from './provision.ts';
import { startNodeProcess, waitForHttp, type ManagedProcess } from './processes.ts';
import { watchLaunchers } from './launcher-watch.ts';
import { assertPortsFree } from './ports.ts';
import { startSesEventSource, type SesEventSource } from './ses-event-source.ts';
import {
  DEV_TOKEN,
  LOCAL_CONFIGURATION_SET,
  apiEnv,
  workerEnv,
  banner,
  emulatorBanner,
  webhookBanner,
  webhookWorkerEnv,
} from './stack-config.ts';

const { values } = parseArgs({ options: { only: { type: 'string' } } });
if (values.only !== undefined && values.only !== 'emulators') {
  console.error(`unknown --only value "${values.only}" (supported: emulators)`);
  process.exit(2);
}

const portFromEnv = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ports = {
  sqs: portFromEnv('LOCAL_SQS_PORT', DEFAULT_EMULATOR_PORTS.sqs),
  ses: portFromEnv('LOCAL_SES_PORT', DEFAULT_EMULATOR_PORTS.ses),
  dynamodb: portFromEnv('LOCAL_DYNAMODB_PORT', DEFAULT_EMULATOR_PORTS.dynamodb),
  sesEvents: portFromEnv('LOCAL_SES_EVENTS_PORT', 8006),
  api: portFromEnv('LOCAL_API_PORT', 3000),
  worker: portFromEnv('LOCAL_WORKER_PORT', 3001),
};
const root = join(import.meta.dirname, '..', '..', '..');

// EMF metric lines are for CloudWatch; on a terminal they drown the log lines people read.
const showMetrics = process.env.LOCAL_STACK_SHOW_METRICS === 'true';
const echoFilter = (line: string) => showMetrics || !line.includes('"_aws":');

let emulators: Emulators | undefined;
let sesEvents: SesEventSource | undefined;
const services: ManagedProcess[] = [];
let stopping = false;

/** A second Ctrl-C: stop waiting for the drain, but take every child down rather than orphan it. */
function forceExit(exitCode: number): never {
  for (const p of [...services, ...(emulators?.processes ?? [])]) p.child.kill('SIGKILL');
  process.exit(exitCode);
}

async function stopAll(exitCode: number): Promise<never> {
  if (stopping) forceExit(exitCode);
  stopping = true;
  console.log('\nstopping the local stack...');
  // Services first (they drain into the emulators), then the emulators.
  await Promise.all(services.map((s) => s.stop('SIGTERM', 30_000)));
  await sesEvents?.stop();
  await emulators?.stop();
  console.log('stopped.');
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
// A SIGTERM sent to npm's pid alone does not reach this process; npm going away does.
// The launcher often goes away because of the very signal that started the stop (a TERM sent to
// the whole tree): that is no request to hurry, so the drain in progress carries on.
watchLaunchers((pid) => {
  console.log(`\nlauncher ${pid} exited`);
  if (!stopping) void stopAll(0);
});

try {
  const wanted =
    values.only === 'emulators'
      ? [ports.sqs, ports.ses, ports.dynamodb, ports.sesEvents]
      : [ports.sqs, ports.ses, ports.dynamodb, ports.sesEvents, ports.api, ports.worker];
  await assertPortsFree(wanted);
  emulators = await startEmulators(
    { sqs: ports.sqs, ses: ports.ses, dynamodb: ports.dynamodb },
    { echo: false },
  );
  const resources: LocalResources = await provisionLocalResources({
    endpoints: {
      sqs: emulators.env.AWS_ENDPOINT_URL_SQS,
      dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
    },
  });
  sesEvents = await startSesEventSource({
    sesUrl: emulators.env.AWS_ENDPOINT_URL_SESV2,
    port: ports.sesEvents,
    sqsEndpoint: emulators.env.AWS_ENDPOINT_URL_SQS,
    eventsQueueUrl: resources.eventsQueueUrl,
    configurationSets: [LOCAL_CONFIGURATION_SET],
    onError: (error) =>
      console.error(`ses events: ${error instanceof Error ? error.message : String(error)}`),
  });
  // The worker sends through the event source, which forwards to the SES emulator.
  const senderEnv = { ...emulators.env, AWS_ENDPOINT_URL_SESV2: sesEvents.url };
  if (values.only === 'emulators') {
    console.log(emulatorBanner(ports, senderEnv, resources));
  } else {
    const api = startNodeProcess({
      name: 'api',
      args: [join(root, 'services/notification-api/src/main.ts')],
      env: apiEnv(emulators.env, resources, ports.api),
      echo: true,
      echoFilter,
    });
    const worker = startNodeProcess({
      name: 'worker',
      args: [join(root, 'services/email-sender/src/main.ts')],
      env: {
        ...workerEnv(senderEnv, resources, ports.worker),
        ...webhookWorkerEnv(resources, process.env),
      },
      echo: true,
      echoFilter,
    });
    services.push(api, worker);
    for (const s of services) {
      void s.exited.then((code) => {
        if (!stopping) {
          console.error(`${s.name} exited unexpectedly (code ${code}); stopping the stack.`);
          void stopAll(1);
        }
      });
    }
    await Promise.all([
      waitForHttp(`http://127.0.0.1:${ports.api}/readyz`, 200, 30_000),
      waitForHttp(`http://127.0.0.1:${ports.worker}/readyz`, 200, 30_000),
    ]);
    console.log(banner(ports, DEV_TOKEN));
    console.log(webhookBanner(process.env));
  }
} catch (error) {
  console.error(`the local stack did not start: ${error instanceof Error ? error.message : error}`);
  await stopAll(1);
}
