import {
  buildxArgs,
  digestFromMetadata,
  parseBuildArgs,
  parsePlatforms,
} from '../src/buildx-args.ts';
import { readBuildImageInputs } from '../src/inputs.ts';
import { evaluateFindings, type Finding } from '../src/severity.ts';
import { imageTags, validateTag } from '../src/tags.ts';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('tags', () => {
  it('tags with the commit SHA first, then the extra tags once each', () => {
    expect(imageTags(SHA, ['v1.2.3', 'release-2026_01', 'v1.2.3'])).toEqual([
      SHA,
      'v1.2.3',
      'release-2026_01',
    ]);
  });

  it.each(['latest', 'LATEST', 'Latest'])('refuses %s: the repositories are immutable', (tag) => {
    expect(() => validateTag(tag)).toThrow(/Input 'tags' must not contain 'latest'.*immutable/);
  });

  it.each(['-leading-dash', '.dot', 'has space', 'slash/tag', 'colon:tag', 'x'.repeat(129), ''])(
    'refuses the invalid tag %j',
    (tag) => {
      expect(() => validateTag(tag)).toThrow(/Input 'tags': '.*' is not a valid image tag/);
    },
  );

  it('refuses a commit SHA that is not one', () => {
    expect(() => imageTags('main', [])).toThrow("GITHUB_SHA must be a commit SHA; got 'main'");
  });
});

describe('buildxArgs', () => {
  const base = {
    imageName: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/notify-api',
    tags: [SHA, 'v1.2.3'],
    context: 'services',
    platforms: ['linux/amd64'],
    buildArgs: ['SERVICE=notification-api', 'NOTE=a, b and "c"'],
    metadataFile: '/tmp/meta.json',
  };

  it('pushes every tag with the GitHub cache scoped to the repository', () => {
    expect(
      buildxArgs({ ...base, dockerfile: 'services/notification-api/Dockerfile', cache: { scope: 'notify-api' } }),
    ).toEqual([
      'buildx', 'build',
      '--platform', 'linux/amd64',
      '--file', 'services/notification-api/Dockerfile',
      '--tag', `${base.imageName}:${SHA}`,
      '--tag', `${base.imageName}:v1.2.3`,
      '--build-arg', 'SERVICE=notification-api',
      '--build-arg', 'NOTE=a, b and "c"',
      '--cache-from', 'type=gha,scope=notify-api',
      '--cache-to', 'type=gha,mode=max,ignore-error=true,scope=notify-api',
      '--provenance=false',
      '--metadata-file', '/tmp/meta.json',
      '--push',
      'services',
    ]); // prettier-ignore
  });

  it('has no cache flags when the cache is off, and joins platforms', () => {
    const args = buildxArgs({
      ...base,
      platforms: ['linux/amd64', 'linux/arm64'],
      cache: undefined,
    });
    expect(args.join(' ')).not.toContain('--cache');
    expect(args.slice(2, 4)).toEqual(['--platform', 'linux/amd64,linux/arm64']);
    expect(args).not.toContain('--file');
    expect(args.at(-1)).toBe('services');
  });

  it('reads the digest from the metadata file', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(digestFromMetadata(JSON.stringify({ 'containerimage.digest': digest }))).toBe(digest);
    expect(() => digestFromMetadata('{}')).toThrow('no containerimage.digest');
    expect(() => digestFromMetadata('nope')).toThrow('not JSON');
  });

  it('validates build args and platforms', () => {
    expect(parseBuildArgs('A=1\n\n  B=x,y  \n')).toEqual(['A=1', 'B=x,y']);
    expect(() => parseBuildArgs('A=1\nnot an arg')).toThrow(
      "Input 'build-args': 'not an arg' must be KEY=value",
    );
    expect(parsePlatforms([])).toEqual(['linux/amd64']);
    expect(parsePlatforms(['linux/arm64/v8', 'linux/arm64/v8'])).toEqual(['linux/arm64/v8']);
    expect(() => parsePlatforms(['amd64'])).toThrow("Input 'platforms': 'amd64' is not os/arch");
  });
});

describe('readBuildImageInputs', () => {
  it('applies the defaults', () => {
    expect(readBuildImageInputs(reader({ repository: 'notify-api' }))).toEqual({
      region: undefined,
      repository: 'notify-api',
      context: '.',
      dockerfile: undefined,
      extraTags: [],
      platforms: ['linux/amd64'],
      buildArgs: [],
      cache: true,
      scan: true,
      failOnSeverity: 'CRITICAL',
      scanTimeoutMs: 600_000,
    });
  });

  it.each([
    [{}, "Input 'repository' is required"],
    [{ repository: 'Notify_API!' }, "Input 'repository' must be an ECR repository name"],
    [{ repository: 'notify-api', tags: 'v1\nlatest' }, "Input 'tags' must not contain 'latest'"],
    [
      { repository: 'notify-api', 'fail-on-severity': 'SEVERE' },
      "Input 'fail-on-severity' must be one of CRITICAL, HIGH, MEDIUM, LOW, NONE",
    ],
    [{ repository: 'notify-api', cache: 's3' }, "Input 'cache' must be one of gha, none"],
    [{ repository: 'notify-api', scan: 'yes' }, "Input 'scan' must be true or false"],
    [
      { repository: 'notify-api', 'scan-timeout-minutes': '0' },
      "Input 'scan-timeout-minutes' must be at least 1m",
    ],
  ])('rejects %j', (values, message) => {
    expect(() => readBuildImageInputs(reader(values))).toThrow(message);
  });
});

describe('evaluateFindings', () => {
  const findings: Finding[] = [
    { name: 'CVE-1', severity: 'LOW' },
    { name: 'CVE-2', severity: 'CRITICAL' },
    { name: 'CVE-3', severity: 'HIGH' },
    { name: 'CVE-4', severity: 'MEDIUM' },
    { name: 'CVE-5', severity: 'INFORMATIONAL' },
    { name: 'CVE-0', severity: 'HIGH' },
  ];

  it.each([
    ['CRITICAL', ['CVE-2']],
    ['HIGH', ['CVE-2', 'CVE-0', 'CVE-3']],
    ['MEDIUM', ['CVE-2', 'CVE-0', 'CVE-3', 'CVE-4']],
    ['LOW', ['CVE-2', 'CVE-0', 'CVE-3', 'CVE-4', 'CVE-1']],
    ['NONE', []],
  ] as const)('threshold %s blocks %j, most severe first', (threshold, blocking) => {
    const evaluation = evaluateFindings(findings, threshold);
    expect(evaluation.blocking.map((f) => f.name)).toEqual(blocking);
    expect(evaluation.counts).toEqual({
      CRITICAL: 1,
      HIGH: 2,
      MEDIUM: 1,
      LOW: 1,
      INFORMATIONAL: 1,
      UNDEFINED: 0,
    });
  });
});
