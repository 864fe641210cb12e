// The deploy workflow's own scripts, run with bash: the production region and variables per
// matrix target.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runStep, workflowStep } from './support/composite-steps.ts';

const deployWorkflow = path.resolve(__dirname, '..', '..', '..', '.github/workflows/deploy.yml');

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
