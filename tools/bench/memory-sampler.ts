// Resident memory of the benchmark's processes under load, read from /proc/<pid>/status (VmRSS,
// Linux). Sampled periodically; the peak per process is what the report shows.
import { readFileSync } from 'node:fs';

/** VmRSS of a process in MiB, or undefined when it cannot be read (gone, not Linux). */
export function residentMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

export interface MemorySampler {
  /** Peak RSS (MiB) per name seen since the sampler started. */
  peaks(): Record<string, number>;
  stop(): Record<string, number>;
}

export function sampleMemory(
  processes: Array<{ name: string; pid: number }>,
  intervalMs = 200,
): MemorySampler {
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const p of processes) {
      const rss = residentMiB(p.pid);
      if (rss !== undefined) peaks[p.name] = Math.max(peaks[p.name] ?? 0, rss);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    peaks: () => ({ ...peaks }),
    stop() {
      clearInterval(timer);
      sample();
      return { ...peaks };
    },
  };
}
