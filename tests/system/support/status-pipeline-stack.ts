// The status path as `npm start` wires it, for the system tests that follow a notification past
// the send: emulators, the SES event source, a fault proxy between the worker and that source
// (to refuse a send on demand), the status store, and the worker process. `submit` does what
// the API does on POST: the record first, then the message on the queue.
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StatusStore } from '@notify/shared';
import {
  DEV_CLIENT_ID,
  freePort,
  startFaultProxy,
  startNodeProcess,
  startSesEventSource,
  waitForHttp,
  workerEnv,
  type FaultProxy,
  type LocalResources,
  type ManagedProcess,
  type SesEventSource,
} from '@notify/local-stack';
import {
  enqueue,
  makeEnvelope,
  startTestStack,
  type TestStack,
} from '../../../services/email-sender/test/support/local-stack.ts';

const MAIN = join(__dirname, '..', '..', '..', 'services', 'email-sender', 'src', 'main.ts');

export interface StatusPipeline {
  stack: TestStack;
  resources: LocalResources;
  source: SesEventSource;
  faults: FaultProxy;
  store: StatusStore;
  worker: ManagedProcess;
  submit: (to: string[]) => Promise<string>;
  stop: () => Promise<void>;
}

/**
 * `extraEnv` adds to (or overrides) the worker's environment once the resources exist; it may
 * start what the worker should talk to instead (a proxy in front of an emulator).
 */
export async function startStatusPipeline(
  extraEnv: (
    resources: LocalResources,
    stack: TestStack,
  ) => Record<string, string> | Promise<Record<string, string>> = () => ({}),
): Promise<StatusPipeline> {
  const stack = await startTestStack();
  const resources = await stack.provision();
  const source = await startSesEventSource({
    sesUrl: stack.sesUrl,
    port: 0,
    sqsEndpoint: stack.sqsUrl,
    eventsQueueUrl: resources.eventsQueueUrl,
    configurationSets: ['notify-local'],
    pollIntervalMs: 50,
  });
  // worker -> fault proxy (to refuse one send) -> SES event source -> SES emulator
  const faults = await startFaultProxy({ target: source.url });
  const dynamodb = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: stack.emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  const store = new StatusStore({
    client: dynamodb,
    table: resources.statusTable,
    retentionDays: 30,
  });
  const opsPort = await freePort();
  const worker = startNodeProcess({
    name: 'email-sender',
    args: [MAIN],
    env: {
      ...workerEnv(
        { ...stack.emulators.env, AWS_ENDPOINT_URL_SESV2: faults.url },
        resources,
        opsPort,
      ),
      WAIT_TIME_SECONDS: '1',
      VISIBILITY_TIMEOUT_SECONDS: '5',
      SES_TIMEOUT_MS: '3000',
      SEND_RATE_PER_SECOND: '50',
      ...(await extraEnv(resources, stack)),
    },
  });
  await waitForHttp(`http://127.0.0.1:${opsPort}/readyz`, 200, 20_000);

  const submit = async (to: string[]): Promise<string> => {
    const envelope = makeEnvelope({ to });
    await store.create({
      id: envelope.id,
      clientId: DEV_CLIENT_ID,
      addresses: to,
      createdAt: envelope.createdAt,
    });
    await enqueue(stack.sqs, resources.queueUrl, envelope);
    return envelope.id;
  };
  const stop = async () => {
    await worker.stop('SIGTERM', 15_000);
    await faults.close();
    await source.stop();
    dynamodb.destroy();
    await stack.stop();
  };
  return { stack, resources, source, faults, store, worker, submit, stop };
}
