// The whole build through an injected exec: docker is never run, so no engine is needed, but
// every command line, the password on stdin and the metadata file are exactly as in a run.
import {
  BatchGetImageCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createManualClock } from '@notify/actions-shared';
import { buildImage, type BuildImageOptions } from '../src/build-image.ts';
import type { Exec } from '../src/exec.ts';
import { buildSummaryMarkdown } from '../src/report.ts';

const ecrMock = mockClient(ECRClient);
const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = `sha256:${'e'.repeat(64)}`;
const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const cacheEnv = { ACTIONS_RUNTIME_TOKEN: 'rt', ACTIONS_RESULTS_URL: 'https://results' };

interface Call {
  command: string;
  args: string[];
  input?: string;
}

let dir: string;

beforeEach(() => {
  ecrMock.reset();
  ecrMock.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [
      {
        authorizationToken: Buffer.from('AWS:s3cret-password').toString('base64'),
        proxyEndpoint: `https://${REGISTRY}`,
      },
    ],
  });
  // A first run: the commit's tag is not in the repository yet.
  ecrMock
    .on(DescribeImagesCommand)
    .rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }));
  dir = mkdtempSync(path.join(tmpdir(), 'build-image-'));
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A docker that logs in and "pushes" by writing the metadata file buildx would write. */
function fakeDocker(calls: Call[], buildExitCode = 0): Exec {
  return async (command, args, options = {}) => {
    calls.push({ command, args, input: options.input?.toString() });
    if (args[0] === 'buildx' && buildExitCode === 0) {
      const metadataFile = args[args.indexOf('--metadata-file') + 1];
      writeFileSync(
        metadataFile,
        JSON.stringify({ 'containerimage.digest': DIGEST, 'image.name': 'x' }),
      );
    }
    return buildExitCode !== 0 && args[0] === 'buildx'
      ? {
          exitCode: buildExitCode,
          stdout: '',
          stderr: '#12 ERROR: failed to solve: process "npm ci" did not complete successfully',
        }
      : { exitCode: 0, stdout: 'Login Succeeded', stderr: '' };
  };
}

function options(
  calls: Call[],
  masked: string[],
  overrides: Partial<BuildImageOptions> = {},
): BuildImageOptions {
  return {
    ecr: new ECRClient({ region: 'eu-west-1' }),
    exec: fakeDocker(calls),
    mask: (secret) => masked.push(secret),
    region: 'eu-west-1',
    repository: 'notify-api',
    context: '.',
    dockerfile: 'services/notification-api/Dockerfile',
    commitSha: SHA,
    extraTags: ['v1.4.0'],
    platforms: ['linux/amd64'],
    buildArgs: [],
    cache: true,
    scan: true,
    failOnSeverity: 'HIGH',
    scanTimeoutMs: 10 * 60_000,
    tempDir: dir,
    env: cacheEnv,
    clock: createManualClock(),
    ...overrides,
  };
}

describe('buildImage', () => {
  it('logs in with the SDK token on stdin, builds, pushes and reports the digest', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce({ imageScanStatus: { status: 'IN_PROGRESS' } })
      .resolvesOnce({
        imageScanStatus: { status: 'COMPLETE' },
        imageScanFindings: { findings: [{ name: 'CVE-2025-9', severity: 'LOW' }] },
      });
    const calls: Call[] = [];
    const masked: string[] = [];
    const result = await buildImage(options(calls, masked));

    expect(masked).toContain('s3cret-password');
    expect(calls[0]).toEqual({
      command: 'docker',
      args: ['login', '--username', 'AWS', '--password-stdin', REGISTRY],
      input: 's3cret-password',
    });
    const build = calls[1];
    expect(build.command).toBe('docker');
    expect(build.args.slice(0, 2)).toEqual(['buildx', 'build']);
    expect(build.args).toEqual(
      expect.arrayContaining([
        '--push',
        '--provenance=false',
        `${REGISTRY}/notify-api:${SHA}`,
        `${REGISTRY}/notify-api:v1.4.0`,
        'type=gha,scope=notify-api',
        'type=gha,mode=max,ignore-error=true,scope=notify-api',
      ]),
    );
    expect(JSON.stringify(calls.slice(1))).not.toContain('s3cret');
    expect(result).toMatchObject({
      image: `${REGISTRY}/notify-api:${SHA}`,
      digest: DIGEST,
      imageUriDigest: `${REGISTRY}/notify-api@${DIGEST}`,
      tags: [SHA, 'v1.4.0'],
      cacheUsed: true,
      registry: { host: REGISTRY, registryId: '123456789012' },
      scan: { status: 'passed', threshold: 'HIGH' },
    });

    const summary = buildSummaryMarkdown(result, 'eu-west-1', 'notify-api');
    expect(summary).toContain('✅ Image `notify-api:0123456789ab` pushed');
    expect(summary).toContain(
      'https://eu-west-1.console.aws.amazon.com/ecr/repositories/private/123456789012/notify-api/_/image/sha256:',
    );
    expect(summary).toContain('No findings at or above HIGH');
  });

  it('blocks on findings at or above the threshold and lists them', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: {
        findings: [
          {
            name: 'CVE-2025-1',
            severity: 'CRITICAL',
            uri: 'https://nvd.nist.gov/vuln/detail/CVE-2025-1',
            attributes: [{ key: 'package_name', value: 'openssl' }],
          },
          { name: 'CVE-2025-2', severity: 'MEDIUM' },
        ],
      },
    });
    const result = await buildImage(options([], []));
    expect(result.scan.status).toBe('blocked');
    if (result.scan.status !== 'blocked') throw new Error('unreachable');
    expect(result.scan.evaluation.blocking.map((f) => f.name)).toEqual(['CVE-2025-1']);
    const summary = buildSummaryMarkdown(result, 'eu-west-1', 'notify-api');
    expect(summary).toContain(
      '❌ Image `notify-api:0123456789ab` pushed, but the scan found blocking vulnerabilities',
    );
    expect(summary).toContain(
      '| CRITICAL | [CVE-2025-1](https://nvd.nist.gov/vuln/detail/CVE-2025-1) | openssl |',
    );
    expect(summary).not.toContain('CVE-2025-2 |');
  });

  it('still reports the pushed image when the scan fails', async () => {
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: {
        status: 'UNSUPPORTED_IMAGE',
        description: 'The operating system is not supported',
      },
    });
    const result = await buildImage(options([], []));
    expect(result.digest).toBe(DIGEST);
    expect(result.scan).toEqual({
      status: 'error',
      message: expect.stringContaining(
        'ended UNSUPPORTED_IMAGE: The operating system is not supported',
      ),
    });
  });

  it('skips the scan when asked, and the cache when the runner offers none', async () => {
    const calls: Call[] = [];
    const warnings: string[] = [];
    const result = await buildImage(
      options(calls, [], { scan: false, env: {}, warn: (line) => warnings.push(line) }),
    );
    expect(result.scan).toEqual({ status: 'skipped' });
    expect(result.cacheUsed).toBe(false);
    expect(calls[1].args.join(' ')).not.toContain('--cache');
    expect(warnings[0]).toContain('building without a cache');
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0);
  });

  it('fails with the end of buildx output when the build fails', async () => {
    await expect(buildImage(options([], [], { exec: fakeDocker([], 1) }))).rejects.toThrow(
      /docker buildx build failed \(exit 1\):\n#12 ERROR: failed to solve/,
    );
  });

  it('reuses the image a previous run pushed for this commit, adding missing tags', async () => {
    const manifest = '{"schemaVersion":2}';
    ecrMock.on(DescribeImagesCommand).resolves({
      imageDetails: [{ imageDigest: DIGEST, imageTags: [SHA] }],
    });
    ecrMock.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageManifest: manifest,
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        },
      ],
    });
    ecrMock.on(PutImageCommand).resolves({});
    ecrMock.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: { findings: [] },
    });
    const calls: Call[] = [];
    const result = await buildImage(options(calls, []));

    // Logged in, but nothing built: pushing the commit tag again would fail (immutable tags).
    expect(calls.map((c) => c.args[0])).toEqual(['login']);
    expect(result).toMatchObject({
      reused: true,
      digest: DIGEST,
      imageUriDigest: `${REGISTRY}/notify-api@${DIGEST}`,
      scan: { status: 'passed' },
    });
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0].args[0].input).toEqual({
      repositoryName: 'notify-api',
      imageIds: [{ imageTag: SHA }],
    });
    const puts = ecrMock.commandCalls(PutImageCommand).map((c) => c.args[0].input);
    expect(puts).toEqual([
      {
        repositoryName: 'notify-api',
        imageManifest: manifest,
        imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        imageTag: 'v1.4.0',
      },
    ]);
    expect(buildSummaryMarkdown(result, 'eu-west-1', 'notify-api')).toContain('reused');
  });

  it('refuses latest before logging in or building', async () => {
    const calls: Call[] = [];
    await expect(buildImage(options(calls, [], { extraTags: ['latest'] }))).rejects.toThrow(
      "must not contain 'latest'",
    );
    expect(calls).toEqual([]);
    expect(ecrMock.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(0);
  });

  it('explains a denied GetAuthorizationToken', async () => {
    ecrMock.on(GetAuthorizationTokenCommand).rejects(
      Object.assign(
        new Error(
          'User: arn:aws:sts::1:assumed-role/ci/x is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows it',
        ),
        {
          name: 'AccessDeniedException',
        },
      ),
    );
    await expect(buildImage(options([], []))).rejects.toThrow(
      /may not call ecr:GetAuthorizationToken/,
    );
  });
});
