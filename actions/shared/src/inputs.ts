// Typed, validated action inputs. Every error names the input and the rule it broke, so a
// workflow author can fix the `with:` block without reading our source. Reads go through an
// injected getInput (core.getInput in main.ts, a map in tests), so nothing here needs
// @actions/core.

export type GetInput = (name: string) => string;

export class InputError extends Error {
  readonly input: string;
  constructor(input: string, rule: string) {
    super(`Input '${input}' ${rule}`);
    this.name = 'InputError';
    this.input = input;
  }
}

/**
 * getInput with the same rules as @actions/core: INPUT_<NAME> with spaces turned into
 * underscores and upper-cased, whitespace trimmed. For command-line use and bundle tests.
 */
export function getInputFromEnv(env: NodeJS.ProcessEnv = process.env): GetInput {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

interface Common {
  required?: boolean;
}

/** Parses '90', '90s', '5m', '1h30m', '250ms' into milliseconds. Bare numbers use `unit`. */
export function parseDuration(text: string, unit: 'ms' | 's' | 'm' = 's'): number | undefined {
  const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * unitMs[unit]);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(part)) {
    total += Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  }
  return Math.round(total);
}

export interface InputReader {
  /** A string; '' when optional and not given (or `fallback`). */
  string(
    name: string,
    options?: Common & { fallback?: string; pattern?: RegExp; hint?: string },
  ): string;
  /** Like string but undefined when not given. */
  optional(name: string, options?: { pattern?: RegExp; hint?: string }): string | undefined;
  oneOf<const T extends string>(
    name: string,
    allowed: readonly T[],
    options?: Common & { fallback?: T },
  ): T;
  int(name: string, options: Common & { fallback?: number; min?: number; max?: number }): number;
  /** Milliseconds. Bare numbers are read in `unit` (default seconds). */
  duration(
    name: string,
    options: Common & {
      fallback?: number;
      minMs?: number;
      maxMs?: number;
      unit?: 'ms' | 's' | 'm';
    },
  ): number;
  /** An absolute http(s) URL, without a trailing slash. */
  url(name: string, options?: Common): string | undefined;
  boolean(name: string, options?: Common & { fallback?: boolean }): boolean;
  /** Comma- or newline-separated list, entries trimmed, empties dropped. */
  list(name: string, options?: Common): string[];
}

export function createInputReader(getInput: GetInput): InputReader {
  const read = (name: string, required = false): string => {
    const value = getInput(name).trim();
    if (required && value === '') throw new InputError(name, 'is required but was not given');
    return value;
  };

  const reader: InputReader = {
    string(name, options = {}) {
      const value = read(name, options.required) || options.fallback || '';
      if (value !== '' && options.pattern && !options.pattern.test(value)) {
        throw new InputError(
          name,
          `must be ${options.hint ?? `matching ${options.pattern}`}; got '${value}'`,
        );
      }
      return value;
    },
    optional(name, options = {}) {
      const value = reader.string(name, options);
      return value === '' ? undefined : value;
    },
    oneOf(name, allowed, options = {}) {
      const value = read(name, options.required);
      if (value === '') {
        if (options.fallback !== undefined) return options.fallback;
        throw new InputError(name, `is required; one of: ${allowed.join(', ')}`);
      }
      const match = allowed.find((candidate) => candidate.toLowerCase() === value.toLowerCase());
      if (!match)
        throw new InputError(name, `must be one of ${allowed.join(', ')}; got '${value}'`);
      return match;
    },
    int(name, options) {
      const value = read(name, options.required);
      if (value === '') {
        if (options.fallback !== undefined) return options.fallback;
        throw new InputError(name, 'is required but was not given');
      }
      if (!/^-?\d+$/.test(value))
        throw new InputError(name, `must be a whole number; got '${value}'`);
      const number = Number(value);
      if (options.min !== undefined && number < options.min) {
        throw new InputError(name, `must be at least ${options.min}; got ${number}`);
      }
      if (options.max !== undefined && number > options.max) {
        throw new InputError(name, `must be at most ${options.max}; got ${number}`);
      }
      return number;
    },
    duration(name, options) {
      const value = read(name, options.required);
      if (value === '') {
        if (options.fallback !== undefined) return options.fallback;
        throw new InputError(name, 'is required but was not given');
      }
      const ms = parseDuration(value, options.unit ?? 's');
      if (ms === undefined) {
        throw new InputError(name, `must be a duration like 90, 30s, 5m or 1h30m; got '${value}'`);
      }
      if (options.minMs !== undefined && ms < options.minMs) {
        throw new InputError(name, `must be at least ${formatMs(options.minMs)}; got '${value}'`);
      }
      if (options.maxMs !== undefined && ms > options.maxMs) {
        throw new InputError(name, `must be at most ${formatMs(options.maxMs)}; got '${value}'`);
      }
      return ms;
    },
    url(name, options = {}) {
      const value = read(name, options.required);
      if (value === '') return undefined;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new InputError(name, `must be an absolute http(s) URL; got '${value}'`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new InputError(name, `must use http or https; got '${parsed.protocol}'`);
      }
      return value.replace(/\/+$/, '');
    },
    boolean(name, options = {}) {
      const value = read(name, options.required);
      if (value === '') return options.fallback ?? false;
      // The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts.
      if (['true', 'True', 'TRUE'].includes(value)) return true;
      if (['false', 'False', 'FALSE'].includes(value)) return false;
      throw new InputError(name, `must be true or false; got '${value}'`);
    },
    list(name, options = {}) {
      const value = read(name, options.required);
      return value
        .split(/[,\n]/)
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
    },
  };
  return reader;
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
