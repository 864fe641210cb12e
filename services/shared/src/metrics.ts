// CloudWatch Embedded Metric Format (EMF): a metric is a JSON log line with an "_aws" block, so
// metrics travel with the logs through awslogs and need no agent or API call. Written here
// rather than with aws-embedded-metrics because that library's ECS mode sends to a CloudWatch
// agent sidecar, which these tasks do not run; a log line to stdout is all EMF needs.
import type { Logger } from './logger.ts';

export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds' | 'Bytes' | 'None';

export interface MetricValue {
  value: number;
  unit: MetricUnit;
}

export interface MetricsEmitter {
  /** Emits one EMF line with the given metrics and string dimensions. */
  emit(metrics: Record<string, MetricValue>, dimensions?: Record<string, string>): void;
}

export function buildEmfRecord(
  namespace: string,
  metrics: Record<string, MetricValue>,
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
  for (const [name, m] of Object.entries(metrics)) record[name] = m.value;
  return record;
}

export function createMetrics(
  logger: Logger,
  namespace: string,
  baseDimensions: Record<string, string>,
): MetricsEmitter {
  return {
    emit(metrics, dimensions = {}) {
      if (Object.keys(metrics).length === 0) return;
      logger.info(
        buildEmfRecord(namespace, metrics, { ...baseDimensions, ...dimensions }),
        'metrics',
      );
    },
  };
}
