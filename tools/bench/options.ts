// Command line of `npm run bench`: `--quick` (about a minute) or the full run (a few minutes),
// `--json <path>` for the figures. Every size and duration of a run comes from its profile here.
import { parseArgs } from 'node:util';

export interface BenchProfile {
  name: 'quick' | 'full';
  /** Concurrencies of the API runs (closed loop); 1 measures the latency of a lone request. */
  concurrencies: number[];
  /** Seconds per API run, and of the warm-up before each target's first run. */
  apiSeconds: number;
  warmupSeconds: number;
  /** Hard cap on requests per API run. */
  apiMaxRequests: number;
  /** Messages pre-filled for each worker; the naive worker stops at its time limit. */
  workerMessages: number;
  workerTimeLimitSeconds: number;
  /** End to end: notifications posted at a fixed rate, for each pair. */
  e2eCount: number;
  e2eRatePerSecond: number;
  e2eTimeLimitSeconds: number;
  /** End to end at a low rate (default product only), where batching has nothing to group. */
  e2eLowRateCount: number;
  e2eLowRatePerSecond: number;
}

export const PROFILES: Record<'quick' | 'full', BenchProfile> = {
  quick: {
    name: 'quick',
    concurrencies: [1, 16, 64],
    apiSeconds: 4,
    warmupSeconds: 1,
    apiMaxRequests: 200_000,
    workerMessages: 800,
    workerTimeLimitSeconds: 8,
    e2eCount: 600,
    e2eRatePerSecond: 200,
    e2eTimeLimitSeconds: 30,
    e2eLowRateCount: 100,
    e2eLowRatePerSecond: 20,
  },
  full: {
    name: 'full',
    concurrencies: [1, 16, 64],
    apiSeconds: 15,
    warmupSeconds: 3,
    apiMaxRequests: 1_000_000,
    workerMessages: 4000,
    workerTimeLimitSeconds: 30,
    e2eCount: 4000,
    e2eRatePerSecond: 400,
    e2eTimeLimitSeconds: 90,
    e2eLowRateCount: 400,
    e2eLowRatePerSecond: 20,
  },
};

export interface BenchOptions {
  profile: BenchProfile;
  jsonPath: string | undefined;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = 'usage: npm run bench [-- --quick] [-- --json <path>]';

export function parseBenchArgs(argv: string[]): BenchOptions {
  let values: { quick?: boolean; json?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean' },
        json: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (values.help) throw new UsageError(USAGE);
  if (values.json !== undefined && values.json.trim() === '') {
    throw new UsageError(`--json needs a file path\n${USAGE}`);
  }
  return { profile: PROFILES[values.quick ? 'quick' : 'full'], jsonPath: values.json };
}
