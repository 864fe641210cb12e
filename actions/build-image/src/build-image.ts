// The build-image step without @actions/core: log in to ECR, build and push with buildx, read
// the digest, then (optionally) wait for the scan and judge its findings. Outputs are known as
// soon as the push succeeds, so a scan problem is reported next to a usable image reference.
import type { ECRClient } from '@aws-sdk/client-ecr';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { systemClock, type Clock } from '@notify/actions-shared';
import { buildxArgs, digestFromMetadata, githubCacheAvailable } from './buildx-args.ts';
import { loginToEcr, type EcrRegistry } from './ecr-login.ts';
import type { Exec } from './exec.ts';
import { addTags, findImageByTag } from './existing-image.ts';
import { scanTargets, waitForScanFindings, type ScanResult } from './scan.ts';
import { evaluateFindings, type Evaluation, type Threshold } from './severity.ts';
import { imageTags } from './tags.ts';

export interface BuildImageOptions {
  ecr: ECRClient;
  exec: Exec;
  /** Hides a secret from the log (core.setSecret). */
  mask: (secret: string) => void;
  region: string;
  repository: string;
  context: string;
  dockerfile?: string;
  commitSha: string;
  extraTags: readonly string[];
  platforms: readonly string[];
  buildArgs: readonly string[];
  cache: boolean;
  scan: boolean;
  failOnSeverity: Threshold;
  scanTimeoutMs: number;
  /** Where buildx writes its metadata file (RUNNER_TEMP in Actions). */
  tempDir: string;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  scanIntervalMs?: number;
  log?: (line: string) => void;
  warn?: (line: string) => void;
}

export type ScanOutcome =
  | { status: 'skipped' }
  | {
      status: 'passed' | 'blocked';
      threshold: Threshold;
      results: ScanResult[];
      evaluation: Evaluation;
    }
  | { status: 'error'; message: string };

export interface BuildImageResult {
  registry: EcrRegistry;
  /** Repository URI, without tag or digest. */
  imageName: string;
  /** `<registry>/<repository>:<sha>` */
  image: string;
  digest: string;
  /** `<registry>/<repository>@sha256:...` */
  imageUriDigest: string;
  tags: string[];
  platforms: readonly string[];
  cacheUsed: boolean;
  buildSeconds: number;
  /** True when the commit's image was already in the repository (a re-run) and was reused. */
  reused: boolean;
  scan: ScanOutcome;
}

export async function buildImage(options: BuildImageOptions): Promise<BuildImageResult> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const warn = options.warn ?? log;
  const env = options.env ?? process.env;
  const tags = imageTags(options.commitSha, options.extraTags);

  const registry = await loginToEcr({
    ecr: options.ecr,
    exec: options.exec,
    mask: options.mask,
    region: options.region,
  });
  const imageName = `${registry.host}/${options.repository}`;

  let cacheUsed = options.cache;
  if (cacheUsed && !githubCacheAvailable(env)) {
    warn(
      'The GitHub Actions cache is not reachable (ACTIONS_RUNTIME_TOKEN / ACTIONS_CACHE_URL unset); ' +
        'building without a cache.',
    );
    cacheUsed = false;
  }

  const existing = await findImageByTag(
    options.ecr,
    options.repository,
    options.commitSha,
    options.region,
  );
  if (existing) {
    const missing = tags.filter((t) => !existing.tags.includes(t));
    log(
      `${imageName}:${options.commitSha} is already in the repository (${existing.digest}); ` +
        'reusing it instead of building again (tags are immutable).',
    );
    await addTags(options.ecr, options.repository, existing.digest, missing, options.region);
    if (missing.length > 0) log(`Added tags: ${missing.join(', ')}`);
    return scanAndReport(options, clock, log, {
      registry,
      imageName,
      image: `${imageName}:${options.commitSha}`,
      digest: existing.digest,
      imageUriDigest: `${imageName}@${existing.digest}`,
      tags,
      platforms: options.platforms,
      cacheUsed: false,
      buildSeconds: 0,
      reused: true,
      scan: { status: 'skipped' },
    });
  }

  const metadataFile = path.join(
    options.tempDir,
    `build-image-${options.repository.replace(/[^\w.-]/g, '_')}-${clock.now()}.json`,
  );
  const args = buildxArgs({
    imageName,
    tags,
    context: options.context,
    dockerfile: options.dockerfile,
    platforms: options.platforms,
    buildArgs: options.buildArgs,
    cache: cacheUsed ? { scope: options.repository } : undefined,
    metadataFile,
  });
  log(`Building ${imageName} (${tags.join(', ')}) for ${options.platforms.join(', ')}`);
  const started = clock.now();
  const build = await options.exec('docker', args);
  if (build.exitCode !== 0) {
    const tail = build.stderr.trim().split('\n').slice(-15).join('\n');
    throw new Error(`docker buildx build failed (exit ${build.exitCode}):\n${tail}`);
  }
  const buildSeconds = Math.round((clock.now() - started) / 1000);
  const digest = digestFromMetadata(await readFile(metadataFile, 'utf8'));
  log(`Pushed ${imageName}@${digest}`);

  const result: BuildImageResult = {
    registry,
    imageName,
    image: `${imageName}:${options.commitSha}`,
    digest,
    imageUriDigest: `${imageName}@${digest}`,
    tags,
    platforms: options.platforms,
    cacheUsed,
    buildSeconds,
    reused: false,
    scan: { status: 'skipped' },
  };
  return scanAndReport(options, clock, log, result);
}

/** Waits for the ECR scan of the pushed (or reused) image and judges its findings. */
async function scanAndReport(
  options: BuildImageOptions,
  clock: Clock,
  log: (line: string) => void,
  result: BuildImageResult,
): Promise<BuildImageResult> {
  if (!options.scan) return result;
  const { digest } = result;

  try {
    const deadline = clock.now() + options.scanTimeoutMs;
    const targets =
      options.platforms.length > 1
        ? await scanTargets(options.ecr, options.repository, digest, options.region)
        : [{ digest }];
    const results: ScanResult[] = [];
    for (const target of targets) {
      results.push(
        await waitForScanFindings({
          ecr: options.ecr,
          repositoryName: options.repository,
          target,
          deadline,
          clock,
          intervalMs: options.scanIntervalMs,
          log,
          region: options.region,
        }),
      );
    }
    const evaluation = evaluateFindings(
      results.flatMap((r) => r.findings),
      options.failOnSeverity,
    );
    result.scan = {
      status: evaluation.blocking.length > 0 ? 'blocked' : 'passed',
      threshold: options.failOnSeverity,
      results,
      evaluation,
    };
  } catch (error) {
    result.scan = {
      status: 'error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  return result;
}
