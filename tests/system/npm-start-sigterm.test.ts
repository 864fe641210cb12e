// `kill -TERM <pid of npm start>`: the signal goes to npm alone, not to its process group, and
// every process the local stack started (emulators, API, worker) must still stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@notify/local-stack';

let npm: ChildProcess;
let output = '';
let ports: number[];

afterAll(() => {
  // Whatever is left (the test failed): the whole group, so nothing outlives the test.
  if (npm?.pid) {
    try {
      process.kill(-npm.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

async function listening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

it('stops every process of the stack when only npm gets SIGTERM', async () => {
  const [sqs, ses, dynamodb, api, worker, sesEvents] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  ports = [sqs, ses, dynamodb, api, worker, sesEvents];
  npm = spawn('npm', ['start', '--silent'], {
    cwd: process.cwd(),
    // Its own process group, so that the test's signal can be sent to npm alone.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LOCAL_SQS_PORT: String(sqs),
      LOCAL_SES_PORT: String(ses),
      LOCAL_DYNAMODB_PORT: String(dynamodb),
      LOCAL_API_PORT: String(api),
      LOCAL_WORKER_PORT: String(worker),
      LOCAL_SES_EVENTS_PORT: String(sesEvents),
    },
  });
  npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const upBy = Date.now() + 60_000;
  while (!output.includes('local stack is up')) {
    if (Date.now() > upBy) throw new Error(`the stack did not come up:\n${output}`);
    await sleep(200);
  }
  for (const port of [ses, api, worker]) expect(await listening(port)).toBe(true);

  process.kill(npm.pid!, 'SIGTERM');

  const downBy = Date.now() + 40_000;
  let still = ports;
  while (still.length > 0 && Date.now() < downBy) {
    await sleep(500);
    const open = await Promise.all(ports.map(listening));
    still = ports.filter((_port, i) => open[i]);
  }
  expect({ stillListening: still }).toEqual({ stillListening: [] });
}, 120_000);
