// Every workflow rule passes a clean workflow and fails a small fixture that breaks it in one way
// (and only that rule fails, so each fixture proves one check).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRules, runRules } from '../src/check-workflows.ts';
import { createLocalActionReader } from '../src/local-actions.ts';
import type { TriggerExpectation } from '../src/rules/triggers.ts';
import {
  loadAutomationFiles,
  parseAutomationFile,
  WorkflowParseError,
  type AutomationFile,
} from '../src/workflow-files.ts';

const fixtures = path.join(__dirname, 'fixtures');
const composites = loadAutomationFiles(fixtures).filter((f) => f.kind === 'composite-action');
const readLocalAction = createLocalActionReader(fixtures);
const triggers: TriggerExpectation[] = [
  { file: 'good.yml', events: { push: { branches: ['main'] }, workflow_dispatch: {} } },
  {
    file: 'wrong-triggers.yml',
    events: {
      workflow_dispatch: {
        inputs: {
          environment: { required: true, type: 'choice', options: ['staging', 'production'] },
          service: { required: true, type: 'choice', options: ['api', 'worker'] },
        },
      },
    },
  },
];

function fixture(name: string): AutomationFile {
  const source = readFileSync(path.join(fixtures, 'workflows', name), 'utf8');
  return parseAutomationFile('workflow', `.github/workflows/${name}`, source);
}

function findingsFor(name: string) {
  return runRules(
    [fixture(name), ...composites],
    readLocalAction,
    repositoryRules(triggers),
  ).filter((finding) => finding.file === `.github/workflows/${name}`);
}

describe('workflow rules', () => {
  it('a clean workflow has no findings', () => {
    expect(findingsFor('good.yml')).toEqual([]);
  });

  it.each([
    [
      'unpinned-action.yml',
      'pinned-actions',
      /actions\/checkout@v5' must be pinned to a full 40-character commit SHA/,
    ],
    [
      'sha-without-version-comment.yml',
      'pinned-actions',
      /needs the version it pins in a trailing comment/,
    ],
    [
      'missing-required-input.yml',
      'local-action-inputs',
      /required input 'must-give' of actions\/example\/action.yml is not given/,
    ],
    [
      'unknown-input.yml',
      'local-action-inputs',
      /input 'must_give' is not declared in actions\/example\/action.yml/,
    ],
    [
      'missing-local-action.yml',
      'local-action-inputs',
      /'.\/actions\/does-not-exist' has no action.yml/,
    ],
    [
      'deploy-without-id-token.yml',
      'oidc-credentials',
      /job 'deploy' assumes an AWS role .* do not grant id-token: write/,
    ],
    [
      'composite-role-without-id-token.yml',
      'oidc-credentials',
      /job 'deploy' assumes an AWS role \(step 1 \(.\/.github\/actions\/assume-role\)\)/,
    ],
    ['id-token-without-role.yml', 'oidc-credentials', /id-token: write but assumes no AWS role/],
    [
      'static-aws-keys.yml',
      'oidc-credentials',
      /passes 'aws-access-key-id': use role-to-assume with OIDC/,
    ],
    [
      'pull-requests-write-elsewhere.yml',
      'least-permissions',
      /job 'test' can write to pull requests but does not post the plan comment/,
    ],
    ['write-all-top-level.yml', 'least-permissions', /top-level permissions grant write access/],
    ['no-top-level-permissions.yml', 'least-permissions', /no top-level permissions/],
    [
      'untrusted-in-run.yml',
      'untrusted-interpolation',
      /interpolates \$\{\{ github.event.head_commit.message \}\} into its script/,
    ],
    [
      'production-without-environment.yml',
      'protected-environments',
      /job 'deploy-production' deploys production but its environment is not set/,
    ],
    [
      'deploy-role-without-environment.yml',
      'protected-environments',
      /uses vars.AWS_DEPLOY_ROLE_ARN without an environment/,
    ],
    [
      'deploy-without-concurrency.yml',
      'deploy-concurrency',
      /deploys to 'staging' without a concurrency group/,
    ],
    [
      'deploy-cancels-in-progress.yml',
      'deploy-concurrency',
      /cancel-in-progress must be false for deploys/,
    ],
    [
      'deploy-shared-group.yml',
      'deploy-concurrency',
      /concurrency group 'deploys' is not per environment/,
    ],
    ['node-20.yml', 'node-runtime', /node-version must be 24 \(got '20'\)/],
    ['node-20.yml', 'node-runtime', /the job runs npm, so set cache: npm/],
    [
      'actionlint-too-old.yml',
      'actionlint-version',
      /actionlint v1\.7\.7 rejects runs.using: node24 \(actions\/example\/action.yml\); pin v1\.7\.8 or later/,
    ],
    [
      'actionlint-too-old.yml',
      'actionlint-version',
      /actionlint must be pinned to a release like v1\.7\.8 \(got 'latest'\)/,
    ],
    [
      'wrong-triggers.yml',
      'triggers',
      /must run on exactly workflow_dispatch \(runs on push \+ workflow_dispatch\)/,
    ],
    ['wrong-triggers.yml', 'triggers', /input 'environment' must be of type choice/],
    ['wrong-triggers.yml', 'triggers', /input 'service' is missing/],
  ])('%s fails %s', (name, rule, message) => {
    const findings = findingsFor(name);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((finding) => finding.rule === rule)).toBe(true);
    expect(findings.map((finding) => finding.message)).toContainEqual(
      expect.stringMatching(message),
    );
  });

  it('untrusted interpolation also catches inputs.*', () => {
    const messages = findingsFor('untrusted-in-run.yml').map((finding) => finding.message);
    expect(messages).toContainEqual(expect.stringContaining('${{ inputs.target }}'));
  });

  it('points findings at the offending line', () => {
    const [finding] = findingsFor('unpinned-action.yml');
    expect(finding.line).toBe(8);
  });

  it('refuses a file that is not YAML, naming it', () => {
    expect(() => parseAutomationFile('workflow', '.github/workflows/x.yml', 'on: [push\n')).toThrow(
      WorkflowParseError,
    );
    expect(() => parseAutomationFile('workflow', '.github/workflows/x.yml', 'on: [push\n')).toThrow(
      /\.github\/workflows\/x\.yml: not valid YAML/,
    );
  });
});
