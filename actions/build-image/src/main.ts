import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { ECRClient } from '@aws-sdk/client-ecr';
import { tmpdir } from 'node:os';
import { awsClientConfig, resolveRegion } from '@notify/actions-shared';
import { buildImage } from './build-image.ts';
import type { Exec } from './exec.ts';
import { readBuildImageInputs } from './inputs.ts';
import { buildSummaryMarkdown } from './report.ts';

const exec: Exec = (command, args, options = {}) =>
  getExecOutput(command, args, { ignoreReturnCode: true, input: options.input });

export async function run(): Promise<void> {
  try {
    const inputs = readBuildImageInputs((name) => core.getInput(name));
    const region = resolveRegion(inputs.region);
    const commitSha = process.env.GITHUB_SHA;
    if (!commitSha) throw new Error('GITHUB_SHA is not set; the image is tagged with the commit');

    const result = await buildImage({
      ...inputs,
      ecr: new ECRClient(awsClientConfig({ region })),
      exec,
      mask: (secret) => core.setSecret(secret),
      region,
      commitSha,
      tempDir: process.env.RUNNER_TEMP || tmpdir(),
      log: (line) => core.info(line),
      warn: (line) => core.warning(line),
    });

    core.setOutput('image', result.image);
    core.setOutput('digest', result.digest);
    core.setOutput('image-uri-digest', result.imageUriDigest);
    try {
      await core.summary.addRaw(buildSummaryMarkdown(result, region, inputs.repository)).write();
    } catch (error) {
      core.warning(`Job summary not written: ${error instanceof Error ? error.message : error}`);
    }

    if (result.scan.status === 'blocked') {
      for (const finding of result.scan.evaluation.blocking.slice(0, 20)) {
        core.error(`${finding.severity} ${finding.name} in ${finding.package ?? 'the image'}`, {
          title: `Image scan: ${finding.name}`,
        });
      }
      core.setFailed(
        `${result.scan.evaluation.blocking.length} vulnerability finding(s) at or above ` +
          `${result.scan.threshold} in ${result.imageUriDigest}; see the job summary.`,
      );
    } else if (result.scan.status === 'error') {
      core.setFailed(result.scan.message);
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}
