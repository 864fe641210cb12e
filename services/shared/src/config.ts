// Reads configuration from environment variables through a zod schema, so a bad value stops the
// process at start with every problem named, instead of failing later at the first request.
// Both services build their schemas from the `env` field builders below, so a variable's rule
// reads the same everywhere ("PORT: must be an integer from 0 to 65535 (got "http")"), and
// each service maps the validated variables to camelCase settings in one place (its config.ts).
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** An unset or blank variable counts as absent: ECS and .env files both produce empty strings. */
const absent = (raw: string | undefined): raw is undefined =>
  raw === undefined || raw.trim() === '';

/** A rule violation, told apart from a parsed string value by being wrapped. */
class Rule {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

// Problems are added by a (non-aborting) refinement rather than inside the transform, so the
// schema's cross-field checks still run and every problem is reported in one start-up error.
function checked<T>(fallback: T | undefined, parse: (raw: string) => T | Rule) {
  return z
    .string()
    .optional()
    .superRefine((raw, ctx) => {
      if (absent(raw)) {
        if (fallback === undefined) ctx.addIssue({ code: 'custom', message: 'is required' });
        return;
      }
      const value = parse(raw.trim());
      if (value instanceof Rule) ctx.addIssue({ code: 'custom', message: value.message });
    })
    .transform((raw) => (absent(raw) ? fallback : parse(raw.trim())) as T);
}

export const env = {
  /** An integer in [min, max]; required when no default is given. */
  int(min: number, max: number, fallback?: number) {
    return checked(fallback, (raw) => {
      const value = Number(raw);
      return Number.isInteger(value) && value >= min && value <= max
        ? value
        : new Rule(`must be an integer from ${min} to ${max} (got "${raw}")`);
    });
  },
  /** A finite number above 0 (rates, hours). */
  positive(fallback?: number, max = Number.MAX_SAFE_INTEGER) {
    return checked(fallback, (raw) => {
      const value = Number(raw);
      return Number.isFinite(value) && value > 0 && value <= max
        ? value
        : new Rule(`must be a number above 0 and at most ${max} (got "${raw}")`);
    });
  },
  /** true/false or 1/0. */
  bool(fallback: boolean) {
    return checked(fallback, (raw) => {
      const normalized = raw.toLowerCase();
      if (normalized === 'true' || normalized === '1') return true;
      if (normalized === 'false' || normalized === '0') return false;
      return new Rule(`must be true or false (got "${raw}")`);
    });
  },
  /** Non-empty text, trimmed; required when no default is given. */
  text(fallback?: string, limits: { min?: number; max?: number } = {}) {
    const { min = 1, max = 4096 } = limits;
    return checked(fallback, (raw) =>
      raw.length >= min && raw.length <= max
        ? raw
        : new Rule(`must be ${min} to ${max} characters (got ${raw.length})`),
    );
  },
  /** Text that may be left unset (undefined). */
  optionalText() {
    return z
      .string()
      .optional()
      .transform((raw) => (absent(raw) ? undefined : raw.trim()));
  },
  /** An absolute http(s) URL, such as a queue URL. */
  url(what = 'URL') {
    return checked(undefined as string | undefined, (raw) => {
      try {
        const url = new URL(raw);
        if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
      } catch {
        // reported below
      }
      return new Rule(`must be the ${what} (an http or https URL; got "${raw}")`);
    });
  },
  logLevel(fallback: LogLevel = 'info') {
    return checked<LogLevel>(fallback, (raw) =>
      (LOG_LEVELS as readonly string[]).includes(raw)
        ? (raw as LogLevel)
        : new Rule(`must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`),
    );
  },
};
