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

const RECIPIENT_FIELDS = ['to', 'cc', 'bcc', 'replyTo', 'recipient', 'recipients'];
const REDACT_PATHS = RECIPIENT_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

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
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: maskValue },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
