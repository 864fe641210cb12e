// Child-process plumbing for the local stack and the integration tests: start a Node process,
// wait until it answers on a port, and stop it with a signal and a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Everything the process wrote, for diagnostics when a test fails. */
  output: () => string;
  /** Sends the signal and waits for exit; SIGKILL after the deadline. Resolves the exit code. */
  stop: (signal?: NodeJS.Signals, deadlineMs?: number) => Promise<number | null>;
  exited: Promise<number | null>;
}

export interface StartOptions {
  name: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Forward the child's output to ours, prefixed with its name. */
  echo?: boolean;
  /** With echo: which lines to forward (all by default). */
  echoFilter?: (line: string) => boolean;
}

/** Starts `process.execPath args...`, so children run on the same Node as the parent. */
export function startNodeProcess(options: StartOptions): ManagedProcess {
  const child = spawn(process.execPath, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    buffer += text;
    if (buffer.length > 2_000_000) buffer = buffer.slice(-1_000_000);
    if (options.echo) {
      for (const line of text.split('\n'))
        if (line) process.stdout.write(`[${options.name}] ${line}\n`);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? null : 0)));
  });
  return {
    name: options.name,
    child,
    output: () => buffer,
    exited,
    async stop(signal = 'SIGTERM', deadlineMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Asks the kernel for a free loopback port. */
// Ports handed out for emulators and services started later by another process. listen(0)
// draws from the kernel's ephemeral range (32768-60999 by default), the same range every
// outgoing connection and every other Jest worker's listen(0) draws from, so a port freed here
// can be taken by someone else before the emulator binds it (a CI run once found another test's
// SES emulator answering on "its" SQS port). A random pick below that range, checked bindable,
// collides far less; emulators that still lose the race exit, which startEmulators reports.
const PICK_FROM = 20_000;
const PICK_TO = 32_000;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_TO - PICK_FROM));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port found between ${PICK_FROM} and ${PICK_TO} on 127.0.0.1`);
}

/** Resolves once something accepts TCP connections on host:port; rejects after timeoutMs. */
export async function waitForPort(
  port: number,
  host = '127.0.0.1',
  timeoutMs = 15_000,
  proc?: ManagedProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.output()}`);
    }
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(
    `nothing listens on ${host}:${port} after ${timeoutMs} ms${proc ? `\n${proc.output()}` : ''}`,
  );
}

/** Polls an HTTP URL until it answers with the expected status. */
export async function waitForHttp(url: string, status = 200, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === status) return;
      last = `status ${res.status}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(100);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}
