// The build-image action's inputs, validated with the names a workflow author typed.
import { createInputReader, type GetInput } from '@notify/actions-shared';
import { parseBuildArgs, parsePlatforms } from './buildx-args.ts';
import { THRESHOLDS, type Threshold } from './severity.ts';
import { validateTag } from './tags.ts';

export interface BuildImageInputs {
  region?: string;
  repository: string;
  context: string;
  dockerfile?: string;
  extraTags: string[];
  platforms: string[];
  buildArgs: string[];
  cache: boolean;
  scan: boolean;
  failOnSeverity: Threshold;
  scanTimeoutMs: number;
}

export function readBuildImageInputs(getInput: GetInput): BuildImageInputs {
  const inputs = createInputReader(getInput);
  return {
    region: inputs.optional('aws-region'),
    repository: inputs.string('repository', {
      required: true,
      // ECR's repository-name rule.
      pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
      hint: 'an ECR repository name such as notify-api (lower case)',
    }),
    context: inputs.string('context', { fallback: '.' }),
    dockerfile: inputs.optional('dockerfile'),
    extraTags: inputs.list('tags').map((tag) => validateTag(tag, 'tags')),
    platforms: parsePlatforms(inputs.list('platforms'), 'platforms'),
    buildArgs: parseBuildArgs(getInput('build-args'), 'build-args'),
    cache: inputs.oneOf('cache', ['gha', 'none'] as const, { fallback: 'gha' }) === 'gha',
    scan: inputs.boolean('scan', { fallback: true }),
    failOnSeverity: inputs.oneOf('fail-on-severity', THRESHOLDS, { fallback: 'CRITICAL' }),
    scanTimeoutMs: inputs.duration('scan-timeout-minutes', {
      unit: 'm',
      fallback: 10 * 60_000,
      minMs: 60_000,
      maxMs: 60 * 60_000,
    }),
  };
}
