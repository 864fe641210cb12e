// Reads configuration from environment variables through a zod schema, so a bad value stops the
// process at start with every problem named, instead of failing later at the first request.
import type { z } from 'zod';

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
