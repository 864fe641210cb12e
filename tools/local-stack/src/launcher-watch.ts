// `npm start` runs start.ts under npm, through `sh -c`. `kill -TERM <npm's pid>` reaches npm
// alone: the shell in between neither forwards it nor dies of it in time, so start.ts never
// hears the signal and its emulators and services outlive the command that started them. So
// start.ts watches its launchers (the parent, and up through shells to npm) and stops the stack
// when one of them is gone.
import { readFileSync } from 'node:fs';

const shells = /^(sh|bash|dash|zsh)$/;

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

const isNpm = (command: string[]) =>
  command.some(
    (part) => /(^|\/)npm(-cli\.js)?$/.test(part) || /\/npm\/bin\/npm-cli\.js$/.test(part),
  );
const isShell = (command: string[]) =>
  command.length > 0 && shells.test(command[0].split('/').pop() ?? '');

/** The parent, and above it every shell up to and including npm (Linux; else the parent). */
export function launcherPids(): number[] {
  const pids = [process.ppid];
  let current = process.ppid;
  for (let depth = 0; depth < 4; depth++) {
    const command = commandOf(current);
    if (isNpm(command) || !isShell(command)) break;
    const parent = parentOf(current);
    if (!parent || parent <= 1) break;
    pids.push(parent);
    current = parent;
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Calls `onGone` once when a launcher exits or this process is re-parented. */
export function watchLaunchers(onGone: (pid: number) => void, intervalMs = 250): () => void {
  const parent = process.ppid;
  const launchers = launcherPids();
  const timer = setInterval(() => {
    const gone = process.ppid !== parent ? parent : launchers.find((pid) => !alive(pid));
    if (gone !== undefined) {
      clearInterval(timer);
      onGone(gone);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
