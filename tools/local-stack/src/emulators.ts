// The AWS-API emulators of the local stack, each in its own process on loopback:
// fauxqs (SQS), aws-ses-v2-local (SES v2, with a page that shows sent mail) and dynalite
// (DynamoDB, for the idempotency store). Used by `npm start` and by the integration tests.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startNodeProcess, waitForPort, type ManagedProcess } from './processes.ts';

/** Finds an installed package's file by walking up from the working directory. */
function binPath(pkg: string, relative: string): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', pkg, relative);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${pkg} is not installed (run npm ci)`);
  }
}

export interface EmulatorPorts {
  sqs: number;
  ses: number;
  dynamodb: number;
}

export const DEFAULT_EMULATOR_PORTS: EmulatorPorts = { sqs: 4566, ses: 8005, dynamodb: 8000 };

export interface Emulators {
  ports: EmulatorPorts;
  /** Environment variables that point the AWS SDK at the emulators. */
  env: Record<string, string>;
  processes: ManagedProcess[];
  stop: () => Promise<void>;
}

/** Dummy credentials: the emulators accept any, the SDK insists on some. */
export const LOCAL_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
};

export function emulatorEnv(ports: EmulatorPorts): Record<string, string> {
  return {
    ...LOCAL_AWS_ENV,
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${ports.sqs}`,
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${ports.ses}`,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${ports.dynamodb}`,
  };
}

export async function startEmulators(
  ports: EmulatorPorts = DEFAULT_EMULATOR_PORTS,
  options: { echo?: boolean } = {},
): Promise<Emulators> {
  const sqs = startNodeProcess({
    name: 'sqs',
    args: [join(import.meta.dirname, 'sqs-emulator.ts')],
    env: { SQS_EMULATOR_PORT: String(ports.sqs) },
    echo: options.echo,
  });
  const ses = startNodeProcess({
    name: 'ses',
    args: [
      binPath('aws-ses-v2-local', 'dist/cli.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(ports.ses),
    ],
    echo: options.echo,
  });
  const dynamodb = startNodeProcess({
    name: 'dynamodb',
    args: [
      binPath('dynalite', 'cli.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(ports.dynamodb),
      '--createTableMs',
      '0',
    ],
    echo: options.echo,
  });
  const processes = [sqs, ses, dynamodb];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop('SIGTERM', 3_000)));
  };
  try {
    await Promise.all([
      waitForPort(ports.sqs, '127.0.0.1', 20_000, sqs),
      waitForPort(ports.ses, '127.0.0.1', 20_000, ses),
      waitForPort(ports.dynamodb, '127.0.0.1', 20_000, dynamodb),
    ]);
    // Something answering on the port is not proof that it is ours: an emulator that lost its
    // port to another process exits (EADDRINUSE) while the other answers in its place.
    await sleep(200);
    for (const p of processes) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) {
        throw new Error(`${p.name} emulator exited right after start:\n${p.output()}`);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports, env: emulatorEnv(ports), processes, stop };
}
