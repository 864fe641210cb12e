// Readiness: can this task reach its queue? The answer is cached so that load balancer and ECS
// probes from many places do not turn into a stream of SQS calls, and concurrent probes share
// one check.

export interface ReadinessStatus {
  ready: boolean;
  reason?: string;
}

export interface ReadinessProbeOptions {
  /** Resolves when the queue answers, rejects otherwise. */
  check: () => Promise<void>;
  cacheMs: number;
  isShuttingDown: () => boolean;
  now?: () => number;
}

export interface ReadinessProbe {
  status(): Promise<ReadinessStatus>;
}

export function createReadinessProbe(options: ReadinessProbeOptions): ReadinessProbe {
  const now = options.now ?? Date.now;
  let cached: { status: ReadinessStatus; at: number } | undefined;
  let running: Promise<ReadinessStatus> | undefined;

  const probe = async (): Promise<ReadinessStatus> => {
    try {
      await options.check();
      return { ready: true };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { ready: false, reason: `queue unreachable (${name})` };
    }
  };

  return {
    async status() {
      if (options.isShuttingDown()) return { ready: false, reason: 'shutting down' };
      if (cached && now() - cached.at < options.cacheMs) return cached.status;
      running ??= probe().then((status) => {
        cached = { status, at: now() };
        running = undefined;
        return status;
      });
      return running;
    },
  };
}
