// The "green tasks" behind the rehearsal's test listener: the real notification-api on the
// local stack (emulators + API as a process), so the smoke gate talks to the product itself.
import { join } from 'node:path';
import {
  apiEnv,
  DEV_TOKEN,
  freePort,
  provisionLocalResources,
  startEmulators,
  startNodeProcess,
  waitForHttp,
} from '@notify/local-stack';

const API_MAIN = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'services',
  'notification-api',
  'src',
  'main.ts',
);

export interface GreenTasks {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startGreenTasks(): Promise<GreenTasks> {
  const ports = { sqs: await freePort(), ses: await freePort(), dynamodb: await freePort() };
  const emulators = await startEmulators(ports);
  try {
    const resources = await provisionLocalResources({
      prefix: 'rehearsal',
      endpoints: {
        sqs: emulators.env.AWS_ENDPOINT_URL_SQS,
        dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
      },
    });
    const port = await freePort();
    const api = startNodeProcess({
      name: 'green-api',
      args: [API_MAIN],
      env: { ...apiEnv(emulators.env, resources, port), LOG_LEVEL: 'warn' },
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/readyz`);
    return {
      url,
      token: DEV_TOKEN,
      async stop() {
        await api.stop('SIGTERM', 5_000);
        await emulators.stop();
      },
    };
  } catch (error) {
    await emulators.stop();
    throw error;
  }
}
