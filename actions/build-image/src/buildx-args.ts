// The `docker buildx build` command line, built as an argument list (never a shell string, so
// build-arg values with spaces or quotes pass through untouched).

export interface BuildxOptions {
  /** e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/notify-api */
  imageName: string;
  tags: readonly string[];
  context: string;
  dockerfile?: string;
  platforms: readonly string[];
  buildArgs: readonly string[];
  /** GitHub Actions cache, scoped per repository so the images do not evict each other. */
  cache: { scope: string } | undefined;
  metadataFile: string;
}

export function buildxArgs(options: BuildxOptions): string[] {
  if (options.tags.length === 0) throw new Error('at least one tag is required');
  const args = ['buildx', 'build', '--platform', options.platforms.join(',')];
  if (options.dockerfile) args.push('--file', options.dockerfile);
  for (const tag of options.tags) args.push('--tag', `${options.imageName}:${tag}`);
  for (const buildArg of options.buildArgs) args.push('--build-arg', buildArg);
  if (options.cache) {
    args.push('--cache-from', `type=gha,scope=${options.cache.scope}`);
    // ignore-error: a cache service that is down or full must not fail a build that succeeded.
    args.push('--cache-to', `type=gha,mode=max,ignore-error=true,scope=${options.cache.scope}`);
  }
  // No provenance attestation: it turns a single-platform push into an image index, which
  // ECR basic scanning does not scan.
  args.push('--provenance=false');
  args.push('--metadata-file', options.metadataFile, '--push', options.context);
  return args;
}

/** buildx finds the GitHub cache service through these variables, which runners give actions. */
export function githubCacheAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL));
}

/** `KEY=value` lines; values may hold commas, so only newlines separate entries. */
export function parseBuildArgs(text: string, input = 'build-args'): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) {
        throw new Error(`Input '${input}': '${line}' must be KEY=value (one per line)`);
      }
      return line;
    });
}

const PLATFORM_PATTERN = /^[a-z0-9]+\/[a-z0-9]+(\/[a-z0-9]+)?$/;

export function parsePlatforms(entries: readonly string[], input = 'platforms'): string[] {
  if (entries.length === 0) return ['linux/amd64'];
  for (const platform of entries) {
    if (!PLATFORM_PATTERN.test(platform)) {
      throw new Error(`Input '${input}': '${platform}' is not os/arch[/variant], e.g. linux/arm64`);
    }
  }
  return [...new Set(entries)];
}

/** The pushed image's digest from the --metadata-file JSON. */
export function digestFromMetadata(json: string): string {
  let metadata: { 'containerimage.digest'?: unknown };
  try {
    metadata = JSON.parse(json) as typeof metadata;
  } catch {
    throw new Error('buildx wrote a metadata file that is not JSON');
  }
  const digest = metadata['containerimage.digest'];
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw new Error('buildx metadata has no containerimage.digest; was the image pushed?');
  }
  return digest;
}
