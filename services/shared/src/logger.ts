// Structured JSON logs (pino) for CloudWatch Logs. Recipient addresses never appear in clear:
// any field named like a recipient list is masked, and maskEmail is available for free text.
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** "jane.doe@example.com" -> "j***@example.com"; anything that is not an address -> "***". */
export function maskEmail(address: unknown): string {
  if (typeof address !== 'string') return '***';
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

function maskValue(value: unknown): unknown {
  return Array.isArray(value) ? value.map(maskEmail) : maskEmail(value);
}

const RECIPIENT_FIELDS = new Set(['to', 'cc', 'bcc', 'replyTo', 'recipient', 'recipients']);
const MASK_DEPTH = 3;

/**
 * Returns the log object with every recipient field masked, down to MASK_DEPTH levels, copying
 * only what changes. A plain walk rather than pino's wildcard `redact`, which measured about
 * 7 µs a line against 0.1 µs for this (tools/bench profile: 12% of the API's CPU).
 */
export function maskRecipients(value: unknown, depth = 0): unknown {
  if (depth > MASK_DEPTH || value === null || typeof value !== 'object' || value instanceof Error) {
    return value;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const masked = maskRecipients(item, depth + 1);
      if (masked !== item) (out ??= [...value])[i] = masked;
    });
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const key in record) {
    const item = record[key];
    const masked = RECIPIENT_FIELDS.has(key) ? maskValue(item) : maskRecipients(item, depth + 1);
    if (masked !== item) (out ??= { ...record })[key] = masked;
  }
  return out ?? value;
}

export interface CreateLoggerOptions {
  service: string;
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read them back. */
  destination?: pino.DestinationStream;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const config: LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => maskRecipients(object) as Record<string, unknown>,
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
