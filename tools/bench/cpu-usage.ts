// CPU time consumed by processes over an interval, from /proc/<pid>/stat (utime + stime, Linux),
// and by this process from process.cpuUsage(). On a 2-core machine the load generator, the
// service and the SQS emulator share the cores, so the API figures are explained by how much CPU
// each of them spends per request.
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second for /proc times; 100 on every mainstream Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export interface CpuMeter {
  /** CPU ms spent by each named process since the meter started. */
  stop(): Record<string, number>;
}

export function meterCpu(processes: Array<{ name: string; pid: number }>): CpuMeter {
  const start = new Map(processes.map((p) => [p.name, processCpuMs(p.pid)]));
  const self = process.cpuUsage();
  return {
    stop() {
      const used: Record<string, number> = {};
      for (const p of processes) {
        const before = start.get(p.name);
        const after = processCpuMs(p.pid);
        if (before !== undefined && after !== undefined) used[p.name] = Math.round(after - before);
      }
      const delta = process.cpuUsage(self);
      used['load generator (bench)'] = Math.round((delta.user + delta.system) / 1000);
      return used;
    },
  };
}
