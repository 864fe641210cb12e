import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  ECRClient,
  ScanNotFoundException,
  StartImageScanCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { createManualClock } from '@notify/actions-shared';
import { scanTargets, waitForScanFindings } from '../src/scan.ts';

const ecrMock = mockClient(ECRClient);
const DIGEST = `sha256:${'d'.repeat(64)}`;

beforeEach(() => ecrMock.reset());

const inProgress = { imageScanStatus: { status: 'IN_PROGRESS' as const } };
const complete = (
  findings: Array<{ name: string; severity: string; pkg?: string }>,
  nextToken?: string,
) => ({
  imageScanStatus: {
    status: 'COMPLETE' as const,
    description: 'The scan was completed successfully.',
  },
  imageScanFindings: {
    imageScanCompletedAt: new Date('2026-01-01T12:01:00Z'),
    findings: findings.map((f) => ({
      name: f.name,
      severity: f.severity as 'HIGH',
      uri: `https://security-tracker.debian.org/tracker/${f.name}`,
      description: `${f.name} description`,
      attributes: f.pkg
        ? [
            { key: 'package_name', value: f.pkg },
            { key: 'package_version', value: '1.0' },
          ]
        : [],
    })),
  },
  nextToken,
});
const scanNotFound = () =>
  new ScanNotFoundException({ message: 'Image scan does not exist for the image', $metadata: {} });

function options(clock = createManualClock(), lines: string[] = []) {
  return {
    ecr: new ECRClient({ region: 'eu-west-1' }),
    repositoryName: 'notify-api',
    target: { digest: DIGEST },
    deadline: clock.now() + 10 * 60_000,
    clock,
    intervalMs: 5_000,
    log: (line: string) => lines.push(line),
  };
}

describe('waitForScanFindings', () => {
  it('waits while IN_PROGRESS, then returns the findings of the COMPLETE scan', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(inProgress)
      .resolvesOnce(inProgress)
      .resolvesOnce(complete([{ name: 'CVE-2024-1', severity: 'HIGH', pkg: 'openssl' }]));
    const clock = createManualClock();
    const lines: string[] = [];
    const result = await waitForScanFindings(options(clock, lines));

    expect(result.findings).toEqual([
      {
        name: 'CVE-2024-1',
        severity: 'HIGH',
        package: 'openssl 1.0',
        uri: 'https://security-tracker.debian.org/tracker/CVE-2024-1',
        description: 'CVE-2024-1 description',
      },
    ]);
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(3);
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)[0].args[0].input).toEqual({
      repositoryName: 'notify-api',
      imageId: { imageDigest: DIGEST },
      maxResults: 1000,
    });
    expect(clock.sleeps).toHaveLength(2);
    expect(lines).toEqual([
      `Scan of notify-api@${DIGEST}: IN_PROGRESS`,
      `Scan of notify-api@${DIGEST}: COMPLETE`,
    ]);
  });

  it('reads every page of findings', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(complete([{ name: 'CVE-1', severity: 'LOW' }], 'page-2'))
      .resolvesOnce(complete([{ name: 'CVE-2', severity: 'CRITICAL' }]));
    const result = await waitForScanFindings(options());
    expect(result.findings.map((f) => f.name)).toEqual(['CVE-1', 'CVE-2']);
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)[1].args[0].input.nextToken).toBe(
      'page-2',
    );
  });

  it("fails with ECR's description when the scan FAILED", async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: {
        status: 'FAILED',
        description: 'UnsupportedImageError: The operating system is not supported',
      },
    });
    await expect(waitForScanFindings(options())).rejects.toThrow(
      `ECR scan of notify-api@${DIGEST} ended FAILED: UnsupportedImageError: The operating system is not supported`,
    );
  });

  it('waits through ScanNotFound until the scan appears', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(scanNotFound())
      .rejectsOnce(scanNotFound())
      .resolvesOnce(inProgress)
      .resolvesOnce(complete([]));
    const result = await waitForScanFindings(options());
    expect(result.findings).toEqual([]);
    expect(ecrMock.commandCalls(StartImageScanCommand)).toHaveLength(0);
  });

  it('starts a scan itself, once, when none appears (no scan-on-push)', async () => {
    let calls = 0;
    ecrMock.on(DescribeImageScanFindingsCommand).callsFake(() => {
      calls += 1;
      if (calls <= 15) throw scanNotFound();
      return complete([{ name: 'CVE-9', severity: 'MEDIUM' }]);
    });
    ecrMock.on(StartImageScanCommand).resolves({ imageScanStatus: { status: 'IN_PROGRESS' } });
    const lines: string[] = [];
    const result = await waitForScanFindings({
      ...options(createManualClock(), lines),
      startScanAfterMs: 30_000,
    });
    expect(result.findings).toHaveLength(1);
    expect(ecrMock.commandCalls(StartImageScanCommand)).toHaveLength(1);
    expect(lines).toContain(`No scan of notify-api@${DIGEST} after 30 s; starting one`);
  });

  it('gives up at the deadline, naming the last status and the input to raise', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves(inProgress);
    const clock = createManualClock();
    await expect(
      waitForScanFindings({ ...options(clock), deadline: clock.now() + 2 * 60_000 }),
    ).rejects.toThrow(
      `ECR scan of notify-api@${DIGEST} did not finish within 2 min (last status: IN_PROGRESS); raise scan-timeout-minutes`,
    );
  });

  it('backs off on throttling and carries on', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $metadata: { httpStatusCode: 400 },
    });
    ecrMock.on(DescribeImageScanFindingsCommand).rejectsOnce(throttled).resolvesOnce(complete([]));
    const clock = createManualClock();
    await waitForScanFindings(options(clock));
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(9_000);
  });

  it('explains a missing permission', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .rejects(
        Object.assign(
          new Error(
            'User: arn:aws:sts::123456789012:assumed-role/ci/x is not authorized to perform: ecr:DescribeImageScanFindings on resource: arn:aws:ecr:eu-west-1:123456789012:repository/notify-api because no identity-based policy allows the ecr:DescribeImageScanFindings action',
          ),
          { name: 'AccessDeniedException' },
        ),
      );
    await expect(waitForScanFindings(options())).rejects.toThrow(
      /may not call ecr:DescribeImageScanFindings on arn:aws:ecr:eu-west-1:123456789012:repository\/notify-api/,
    );
  });
});

describe('scanTargets', () => {
  it('scans the platform images of a multi-platform index, not the index or attestations', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
          imageManifest: JSON.stringify({
            manifests: [
              { digest: 'sha256:amd', platform: { os: 'linux', architecture: 'amd64' } },
              {
                digest: 'sha256:arm',
                platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
              },
              {
                digest: 'sha256:att',
                platform: { os: 'unknown', architecture: 'unknown' },
                annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
              },
            ],
          }),
        },
      ],
    });
    const ecr = new ECRClient({ region: 'eu-west-1' });
    expect(await scanTargets(ecr, 'notify-api', DIGEST)).toEqual([
      { digest: 'sha256:amd', platform: 'linux/amd64' },
      { digest: 'sha256:arm', platform: 'linux/arm64/v8' },
    ]);
  });

  it('scans a single-platform image as it is', async () => {
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
          imageManifest: JSON.stringify({ layers: [] }),
        },
      ],
    });
    expect(await scanTargets(new ECRClient({ region: 'eu-west-1' }), 'notify-api', DIGEST)).toEqual(
      [{ digest: DIGEST }],
    );
  });
});
