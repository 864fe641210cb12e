// `kill -TERM <pid of npm start>`: the signal goes to npm alone, not to its process group, and
// every process the local stack started (emulators, API, worker) must still stop. Likewise
// `pkill -f start.ts`, which signals the launching shell and start.ts at once: the shell's exit
// must not cut the drain short and orphan the emulators.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

/** npm's descendants whose command line names the local stack's entry script. */
function stackLaunchers(rootPid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Exited meanwhile.
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) {
      if (p === rootPid) return true;
    }
    return false;
  };
  return [...parents.keys()].filter((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return descends(pid) && command.includes('tools/local-stack/src/start.ts');
    } catch {
      return false;
    }
  });
}

async function startStack(): Promise<void> {
  output = '';
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
}

async function stillListening(): Promise<number[]> {
  const downBy = Date.now() + 40_000;
  let still = ports;
  while (still.length > 0 && Date.now() < downBy) {
    await sleep(500);
    const open = await Promise.all(ports.map(listening));
    still = ports.filter((_port, i) => open[i]);
  }
  return still;
}

it('stops every process of the stack when only npm gets SIGTERM', async () => {
  await startStack();
  process.kill(npm.pid!, 'SIGTERM');
  expect({ stillListening: await stillListening() }).toEqual({ stillListening: [] });
}, 120_000);

it('stops every process of the stack when the launching shell and start.ts get SIGTERM at once', async () => {
  await startStack();
  const launchers = stackLaunchers(npm.pid!);
  expect(launchers.length).toBeGreaterThan(0);
  for (const pid of launchers) process.kill(pid, 'SIGTERM');
  expect({ stillListening: await stillListening() }).toEqual({ stillListening: [] });
  expect(output).toContain('stopped.');
}, 120_000);
