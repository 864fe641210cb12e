// The smoke test as deploy and rollback run it on a runner: when the test listener is closed
// (its security group inputs are given), this runner's address is let in only while the smoke
// test runs.
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
} from './test-listener-access.ts';

export function runnerSmokeTests(region: string, testUrl: string | undefined): RunSmokeTests {
  const testListener = readTestListenerTarget((name) => core.getInput(name), testUrl);
  if (!testListener) return runSmokeTests;
  return withTestListenerAccess(runSmokeTests, {
    securityGroupId: testListener.securityGroupId,
    port: testListener.port,
    findAddress: () => findPublicIpv4({ url: testListener.checkipUrl }),
    ec2: new EC2Client(awsClientConfig({ region })),
    region,
    description: describeRun(),
    log: (line) => core.info(line),
    error: (line) => core.error(line),
  });
}
