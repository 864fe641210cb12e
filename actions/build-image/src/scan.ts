// Waiting for ECR's image scan and reading its findings. The scan starts on push (basic
// scanning, scan-on-push); we poll briefly and steadily while it is PENDING or IN_PROGRESS,
// back off on throttling, and stop at a deadline instead of waiting blindly.
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  StartImageScanCommand,
  type DescribeImageScanFindingsCommandOutput,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import {
  ActionableAwsError,
  callAws,
  isThrottlingError,
  systemClock,
  type Clock,
  DeadlineExceededError,
  poll,
} from '@notify/actions-shared';
import { normaliseSeverity, type Finding } from './severity.ts';

export interface ScanTarget {
  digest: string;
  /** Set for the images inside a multi-platform index. */
  platform?: string;
}

export interface ScanOptions {
  ecr: ECRClient;
  repositoryName: string;
  target: ScanTarget;
  /** Epoch ms on `clock`. */
  deadline: number;
  clock?: Clock;
  intervalMs?: number;
  /** How long "no scan yet" is tolerated before starting one ourselves. Default 60 s. */
  startScanAfterMs?: number;
  log?: (line: string) => void;
  region?: string;
}

export interface ScanResult {
  target: ScanTarget;
  findings: Finding[];
  completedAt?: Date;
}

const WAITING = new Set(['PENDING', 'IN_PROGRESS']);
/** COMPLETE for basic scanning; ACTIVE for enhanced (continuous) scanning. */
const FINISHED = new Set(['COMPLETE', 'ACTIVE']);

export class ScanError extends Error {
  readonly status: string;
  constructor(status: string, message: string) {
    super(message);
    this.name = 'ScanError';
    this.status = status;
  }
}

export async function waitForScanFindings(options: ScanOptions): Promise<ScanResult> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const startScanAfterMs = options.startScanAfterMs ?? 60_000;
  const imageId = { imageDigest: options.target.digest };
  const what = `${options.repositoryName}@${options.target.digest}${options.target.platform ? ` (${options.target.platform})` : ''}`;
  const context = {
    operation: 'ecr:DescribeImageScanFindings',
    resource: `${options.repositoryName}@${options.target.digest}`,
    region: options.region,
  };
  const startedAt = clock.now();
  let lastStatus = 'not started';
  let startedScan = false;

  try {
    return await poll<ScanResult>(
      async () => {
        let page: DescribeImageScanFindingsCommandOutput;
        try {
          page = await callAws(context, () =>
            options.ecr.send(
              new DescribeImageScanFindingsCommand({
                repositoryName: options.repositoryName,
                imageId,
                maxResults: 1000,
              }),
            ),
          );
        } catch (error) {
          if (!isScanNotFound(error)) throw error;
          lastStatus = 'no scan yet';
          // Without scan-on-push nothing will ever appear: start the scan ourselves, once.
          if (!startedScan && clock.now() - startedAt >= startScanAfterMs) {
            startedScan = true;
            log(`No scan of ${what} after ${Math.round(startScanAfterMs / 1000)} s; starting one`);
            await callAws({ ...context, operation: 'ecr:StartImageScan' }, () =>
              options.ecr.send(
                new StartImageScanCommand({ repositoryName: options.repositoryName, imageId }),
              ),
            );
          }
          return { done: false };
        }
        const status = page.imageScanStatus?.status ?? 'PENDING';
        if (status !== lastStatus) log(`Scan of ${what}: ${status}`);
        lastStatus = status;
        if (WAITING.has(status)) return { done: false };
        if (!FINISHED.has(status)) {
          throw new ScanError(
            status,
            `ECR scan of ${what} ended ${status}: ${page.imageScanStatus?.description ?? 'no description'}`,
          );
        }
        const findings = [...toFindings(page, options.target.platform)];
        let nextToken = page.nextToken;
        while (nextToken) {
          const more = await callAws(context, () =>
            options.ecr.send(
              new DescribeImageScanFindingsCommand({
                repositoryName: options.repositoryName,
                imageId,
                maxResults: 1000,
                nextToken,
              }),
            ),
          );
          findings.push(...toFindings(more, options.target.platform));
          nextToken = more.nextToken;
        }
        return {
          done: true,
          value: {
            target: options.target,
            findings,
            completedAt: page.imageScanFindings?.imageScanCompletedAt,
          },
        };
      },
      {
        intervalMs: options.intervalMs ?? 5_000,
        deadline: options.deadline,
        clock,
        isRetryableError: isThrottlingError,
        onRetryableError: (_error, delayMs) => log(`Throttled by ECR; next try in ${delayMs} ms`),
      },
    );
  } catch (error) {
    if (error instanceof DeadlineExceededError) {
      throw new ScanError(
        'TIMEOUT',
        `ECR scan of ${what} did not finish within ${Math.round((options.deadline - startedAt) / 60_000)} min ` +
          `(last status: ${lastStatus}); raise scan-timeout-minutes or set scan: false`,
      );
    }
    throw error;
  }
}

function isScanNotFound(error: unknown): boolean {
  return error instanceof ActionableAwsError && error.explanation.code === 'ScanNotFoundException';
}

function toFindings(page: DescribeImageScanFindingsCommandOutput, platform?: string): Finding[] {
  const basic = (page.imageScanFindings?.findings ?? []).map((finding) => {
    const attribute = (key: string) => finding.attributes?.find((a) => a.key === key)?.value;
    const name = attribute('package_name');
    const version = attribute('package_version');
    return {
      name: finding.name ?? 'unnamed finding',
      severity: normaliseSeverity(finding.severity),
      ...(name ? { package: version ? `${name} ${version}` : name } : {}),
      ...(finding.uri ? { uri: finding.uri } : {}),
      ...(finding.description ? { description: finding.description } : {}),
      ...(platform ? { platform } : {}),
    };
  });
  const enhanced = (page.imageScanFindings?.enhancedFindings ?? []).map((finding) => {
    const details = finding.packageVulnerabilityDetails;
    const pkg = details?.vulnerablePackages?.[0];
    return {
      name: details?.vulnerabilityId ?? finding.title ?? 'unnamed finding',
      severity: normaliseSeverity(finding.severity),
      ...(pkg?.name ? { package: pkg.version ? `${pkg.name} ${pkg.version}` : pkg.name } : {}),
      ...(details?.sourceUrl ? { uri: details.sourceUrl } : {}),
      ...(finding.description ? { description: finding.description } : {}),
      ...(platform ? { platform } : {}),
    };
  });
  return [...basic, ...enhanced];
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/**
 * ECR scans images, not indexes: for a multi-platform push, the platform images inside the
 * index (attestation manifests skipped); otherwise the pushed digest itself.
 */
export async function scanTargets(
  ecr: ECRClient,
  repositoryName: string,
  digest: string,
  region?: string,
): Promise<ScanTarget[]> {
  const result = await callAws(
    { operation: 'ecr:BatchGetImage', resource: `${repositoryName}@${digest}`, region },
    () =>
      ecr.send(
        new BatchGetImageCommand({
          repositoryName,
          imageIds: [{ imageDigest: digest }],
          acceptedMediaTypes: [
            ...INDEX_TYPES,
            'application/vnd.oci.image.manifest.v1+json',
            'application/vnd.docker.distribution.manifest.v2+json',
          ],
        }),
      ),
  );
  const image = result.images?.[0];
  if (!image?.imageManifest) {
    const reason = result.failures?.[0]?.failureReason ?? 'not found';
    throw new Error(`ECR has no image ${repositoryName}@${digest}: ${reason}`);
  }
  const manifest = JSON.parse(image.imageManifest) as {
    mediaType?: string;
    manifests?: Array<{
      digest: string;
      platform?: { os?: string; architecture?: string; variant?: string };
      annotations?: Record<string, string>;
    }>;
  };
  const mediaType = image.imageManifestMediaType ?? manifest.mediaType ?? '';
  if (!INDEX_TYPES.has(mediaType)) return [{ digest }];
  return (manifest.manifests ?? [])
    .filter(
      (entry) =>
        entry.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' &&
        entry.platform?.os !== 'unknown',
    )
    .map((entry) => ({
      digest: entry.digest,
      platform: [entry.platform?.os, entry.platform?.architecture, entry.platform?.variant]
        .filter(Boolean)
        .join('/'),
    }));
}
