// CloudWatch Embedded Metric Format (EMF): a metric is a JSON log line with an "_aws" block, so
// metrics travel with the logs through awslogs and need no agent or API call. Written here
// rather than with aws-embedded-metrics because that library's ECS mode sends to a CloudWatch
// agent sidecar, which these tasks do not run; a log line to stdout is all EMF needs.
//
// Values are buffered per dimension set and written as EMF value arrays (up to 100 values a
// metric a line) every flush interval: CloudWatch computes the same statistics (Sum, Average,
// SampleCount, percentiles) from an array as from single values, while a busy task writes one
// line per interval instead of several lines per request.
import type { Logger } from './logger.ts';

export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds' | 'Bytes' | 'None';

export interface MetricValue {
  value: number;
  unit: MetricUnit;
}

export interface MetricsEmitter {
  /** Records the given metrics under the base dimensions plus these. */
  emit(metrics: Record<string, MetricValue>, dimensions?: Record<string, string>): void;
  /** Writes every buffered value now (at shutdown). */
  flush(): void;
  /** Flushes and stops the flush timer. */
  close(): void;
}

/** EMF allows at most 100 values in one metric's array. */
export const EMF_MAX_VALUES = 100;

export interface EmfMetric {
  unit: MetricUnit;
  values: number | number[];
}

export function buildEmfRecord(
  namespace: string,
  metrics: Record<string, MetricValue | EmfMetric>,
  dimensions: Record<string, string>,
  now: number = Date.now(),
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    _aws: {
      Timestamp: now,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: Object.entries(metrics).map(([Name, m]) => ({ Name, Unit: m.unit })),
        },
      ],
    },
    ...dimensions,
  };
  for (const [name, m] of Object.entries(metrics)) {
    record[name] = 'values' in m ? m.values : m.value;
  }
  return record;
}

export interface MetricsOptions {
  /** Buffer values and write them every this many ms; 0 writes each emit at once. */
  flushIntervalMs?: number;
  now?: () => number;
}

interface Group {
  dimensions: Record<string, string>;
  metrics: Map<string, { unit: MetricUnit; values: number[] }>;
}

export function createMetrics(
  logger: Logger,
  namespace: string,
  baseDimensions: Record<string, string>,
  options: MetricsOptions = {},
): MetricsEmitter {
  const now = options.now ?? Date.now;
  const interval = options.flushIntervalMs ?? 0;
  const groups = new Map<string, Group>();

  const write = (group: Group) => {
    if (group.metrics.size === 0) return;
    const metrics: Record<string, EmfMetric> = {};
    for (const [name, m] of group.metrics) {
      metrics[name] = { unit: m.unit, values: m.values.length === 1 ? m.values[0]! : m.values };
    }
    group.metrics.clear();
    logger.info(buildEmfRecord(namespace, metrics, group.dimensions, now()), 'metrics');
  };

  const flush = () => {
    for (const group of groups.values()) write(group);
  };

  const timer = interval > 0 ? setInterval(flush, interval) : undefined;
  timer?.unref();

  return {
    emit(values, dimensions = {}) {
      if (Object.keys(values).length === 0) return;
      const merged = { ...baseDimensions, ...dimensions };
      const key = JSON.stringify(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
      let group = groups.get(key);
      if (!group) {
        group = { dimensions: merged, metrics: new Map() };
        groups.set(key, group);
      }
      let full = false;
      for (const [name, m] of Object.entries(values)) {
        const entry = group.metrics.get(name) ?? { unit: m.unit, values: [] };
        entry.values.push(m.value);
        group.metrics.set(name, entry);
        if (entry.values.length >= EMF_MAX_VALUES) full = true;
      }
      if (interval === 0 || full) write(group);
    },
    flush,
    close() {
      if (timer) clearInterval(timer);
      flush();
    },
  };
}
