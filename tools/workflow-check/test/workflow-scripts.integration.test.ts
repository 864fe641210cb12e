// The deploy workflow's own scripts, run with bash: the production region and variables per
// matrix target.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runStep, workflowStep } from './support/composite-steps.ts';

const deployWorkflow = path.resolve(__dirname, '..', '..', '..', '.github/workflows/deploy.yml');
const ciWorkflow = path.resolve(__dirname, '..', '..', '..', '.github/workflows/ci.yml');

let work: string;
let repo: string;
let runnerTemp: string;
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'workflow-scripts-'));
  repo = path.join(work, 'repo');
  runnerTemp = path.join(work, 'runner');
  mkdirSync(repo);
  mkdirSync(runnerTemp);
  git('init', '-q');
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('deploy: production region per matrix target', () => {
  const resolve = (env: Record<string, string>) =>
    runStep(workflowStep(deployWorkflow, 'production', 'target'), {
      cwd: repo,
      runnerTemp,
      env: {
        PRIMARY_REGION: 'us-east-1',
        SECOND_REGION: 'us-west-2',
        PRIMARY_VARIABLES: '{"certificate_arn": "arn:primary"}',
        SECOND_VARIABLES: '{\n  "certificate_arn": "arn:second"\n}',
        ...env,
      },
    });

  it('primary and second region get their own region and variables, on one line', () => {
    expect(resolve({ TARGET: 'primary' }).outputs).toEqual({
      region: 'us-east-1',
      variables: '{"certificate_arn":"arn:primary"}',
    });
    expect(resolve({ TARGET: 'second-region' }).outputs).toEqual({
      region: 'us-west-2',
      variables: '{"certificate_arn":"arn:second"}',
    });
  });

  it('names the variable that is missing or broken', () => {
    const noRegion = resolve({ TARGET: 'primary', PRIMARY_REGION: '' });
    expect(noRegion.status).toBe(1);
    expect(noRegion.stdout).toContain('set the AWS_REGION (production environment)');
    const badJson = resolve({ TARGET: 'second-region', SECOND_VARIABLES: '{oops' });
    expect(badJson.status).toBe(1);
    expect(badJson.stdout).toContain('TF_VARIABLES_PRODUCTION_SECOND_REGION');
  });

  it('an unset variables value means no extra inputs', () => {
    expect(resolve({ TARGET: 'primary', PRIMARY_VARIABLES: '' }).outputs.variables).toBe('{}');
  });
});

describe('ci: pull-request plan region per target', () => {
  const resolve = (env: Record<string, string>) =>
    runStep(workflowStep(ciWorkflow, 'plan', 'target'), {
      cwd: repo,
      runnerTemp,
      // GitHub sets every env entry, unset variables as ''.
      env: {
        ...Object.fromEntries(
          ['STAGING_REGION', 'PRODUCTION_REGION', 'SECOND_REGION', 'STAGING_VARIABLES']
            .concat(['PRODUCTION_VARIABLES', 'SECOND_VARIABLES', 'STAGING_PLAN_ROLE'])
            .concat(['PRODUCTION_PLAN_ROLE'])
            .map((name) => [name, '']),
        ),
        PRIMARY_REGION: 'us-east-1',
        PLAN_ROLE: 'arn:aws:iam::1:role/plan',
        ...env,
      },
    });

  it("plans production in production's region, not the repository's", () => {
    const env = { PRODUCTION_REGION: 'eu-west-1', STAGING_REGION: 'eu-central-1' };
    expect(resolve({ ...env, TARGET: 'production' }).outputs.region).toBe('eu-west-1');
    expect(resolve({ ...env, TARGET: 'staging' }).outputs.region).toBe('eu-central-1');
  });

  it('falls back to the repository AWS_REGION', () => {
    expect(resolve({ TARGET: 'production' }).outputs.region).toBe('us-east-1');
  });
});
