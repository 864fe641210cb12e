// The smoke test as deploy and rollback run it on a runner: when the test listener is closed
// (its security group inputs are given), this runner's address is let in only while the smoke
// test runs. A rule that could not be removed again is kept for the job summary.
import * as core from '@actions/core';
import { EC2Client } from '@aws-sdk/client-ec2';
import { awsClientConfig } from '@notify/actions-shared';
import { runSmokeTests } from '../../smoke-test/src/smoke.ts';
import type { RunSmokeTests } from './strategy.ts';
import {
  describeRun,
  findPublicIpv4,
  readTestListenerTarget,
  withTestListenerAccess,
  type LeftOpenRule,
} from './test-listener-access.ts';
import { testListenerLeftOpenSection } from './test-listener-report.ts';

export interface RunnerSmokeTests {
  run: RunSmokeTests;
  /** Test-listener rules this run added and could not remove. */
  leftOpen: LeftOpenRule[];
}

export function runnerSmokeTests(region: string, testUrl: string | undefined): RunnerSmokeTests {
  const leftOpen: LeftOpenRule[] = [];
  const testListener = readTestListenerTarget((name) => core.getInput(name), testUrl);
  if (!testListener) return { run: runSmokeTests, leftOpen };
  const run = withTestListenerAccess(runSmokeTests, {
    securityGroupId: testListener.securityGroupId,
    port: testListener.port,
    findAddress: () => findPublicIpv4({ url: testListener.checkipUrl }),
    ec2: new EC2Client(awsClientConfig({ region })),
    region,
    description: describeRun(),
    log: (line) => core.info(line),
    error: (line) => core.error(line, { title: 'Test listener left open' }),
    onLeftOpen: (rule) => leftOpen.push(rule),
    // Cancelled: the action exits before it writes its summary, so the warning is written here.
    exit: (code) => void writeLeftOpenSummary(leftOpen).finally(() => process.exit(code)),
  });
  return { run, leftOpen };
}

async function writeLeftOpenSummary(rules: LeftOpenRule[]): Promise<void> {
  const section = testListenerLeftOpenSection(rules);
  if (!section) return;
  try {
    await core.summary.addRaw(`${section}\n`).write();
  } catch {
    // No summary file outside GitHub Actions; the error annotation names the rule.
  }
}
