// Starts one benchmark participant (product service, baseline, proxy) as a process of its own,
// on the same Node as the bench, with its output in a log file rather than a pipe: the bench
// process measures, it should not spend its CPU reading thousands of log lines a second.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  logFile: string;
  /** Milliseconds from spawn to the first 200 of its readiness URL (set by waitReady). */
  readyMs?: number;
  waitReady(url: string, timeoutMs?: number): Promise<number>;
  stop(signal?: NodeJS.Signals, deadlineMs?: number): Promise<number | null>;
  /** The end of its log, for error messages. */
  tail(chars?: number): string;
}

export function startServiceProcess(options: {
  name: string;
  script: string;
  env: Record<string, string>;
  logDir: string;
  nodeArgs?: string[];
}): ServiceProcess {
  const logFile = join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
  });
  const tail = (chars = 3_000) => {
    try {
      return readFileSync(logFile, 'utf8').slice(-chars);
    } catch {
      return '';
    }
  };
  const service: ServiceProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    child,
    logFile,
    tail,
    async waitReady(url, timeoutMs = 30_000) {
      const deadline = spawnedAt + timeoutMs;
      for (;;) {
        if (child.exitCode !== null) {
          throw new Error(`${options.name} exited with ${child.exitCode}:\n${tail()}`);
        }
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
          await res.arrayBuffer();
          if (res.status === 200) {
            service.readyMs = Math.round(performance.now() - spawnedAt);
            return service.readyMs;
          }
        } catch {
          // not listening yet
        }
        if (performance.now() > deadline) {
          throw new Error(`${options.name} not ready at ${url} in ${timeoutMs} ms:\n${tail()}`);
        }
        await sleep(20);
      }
    },
    async stop(signal = 'SIGTERM', deadlineMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), deadlineMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  return service;
}
