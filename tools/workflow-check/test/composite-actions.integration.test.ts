// The composite actions' shell steps, run with bash against stub terraform/skopeo/aws commands:
// they pick the right backend and variable files, refuse bad input naming it, keep the plan's
// exit codes straight, check the delivery output, and promote images by digest.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runStep, stepById, writeStubs } from './support/composite-steps.ts';

const root = path.resolve(__dirname, '..', '..', '..');
const terraformAction = path.join(root, '.github/actions/terraform-environment/action.yml');
const promoteAction = path.join(root, '.github/actions/promote-image/action.yml');
const recordAction = path.join(root, '.github/actions/deploy-record/action.yml');

let work: string;
let repo: string;
let runnerTemp: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'composite-'));
  repo = path.join(work, 'repo');
  runnerTemp = path.join(work, 'runner');
  mkdirSync(runnerTemp);
  const staging = path.join(repo, 'terraform/environments/staging');
  const production = path.join(repo, 'terraform/environments/production');
  mkdirSync(staging, { recursive: true });
  mkdirSync(path.join(production, 'backend'), { recursive: true });
  mkdirSync(path.join(production, 'regions'), { recursive: true });
  writeFileSync(path.join(staging, 'backend.hcl'), 'key = "staging/terraform.tfstate"\n');
  writeFileSync(path.join(production, 'backend/us-east-1.hcl'), 'key = "p"\n');
  writeFileSync(path.join(production, 'regions/us-east-1.tfvars'), 'region = "us-east-1"\n');
});

afterEach(() => rmSync(work, { recursive: true, force: true }));

// Logs its arguments; behaves per STUB_* variables.
const terraformStub = `
echo "$*" >>"$RUNNER_TEMP/terraform.log"
args=" $* "
if [[ "$args" == *" plan "* ]]; then exit "\${STUB_PLAN_EXIT:-0}"; fi
if [[ "$args" == *" show -json "* ]]; then echo "$STUB_PLAN_JSON"; exit 0; fi
if [[ "$args" == *" show -no-color "* ]]; then echo "Plan: text"; exit 0; fi
if [[ "$args" == *" output -json delivery "* ]]; then
  if [[ -z "\${STUB_DELIVERY:-}" ]]; then echo 'Error: Output "delivery" not found' >&2; exit 1; fi
  echo "$STUB_DELIVERY"; exit 0
fi
exit 0`;

function prepare(env: Record<string, string>) {
  return runStep(stepById(terraformAction, 'prepare'), {
    cwd: repo,
    runnerTemp,
    env: { STATE_BUCKET: 'state-bucket', VARIABLES: '', MODE: 'plan', ...env },
  });
}

describe('terraform-environment: prepare', () => {
  it('staging: backend.hcl, no region var-file, variables written, TF_VARs exported', () => {
    const result = prepare({
      ENVIRONMENT: 'staging',
      REGION: 'eu-west-1',
      VARIABLES: '{"ses_domain":"staging.example.com","allow_plain_http":true}',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.outputs).toEqual({
      root: 'terraform/environments/staging',
      backend: 'backend.hcl',
      'var-file': '',
    });
    expect(result.exportedEnv).toMatchObject({
      TF_VAR_region: 'eu-west-1',
      TF_VAR_github_repository: 'acme/notify',
      TF_VAR_state_bucket_name: 'state-bucket',
      TF_INPUT: '0',
    });
    const written = readFileSync(
      path.join(repo, 'terraform/environments/staging/ci.auto.tfvars.json'),
      'utf8',
    );
    expect(JSON.parse(written)).toEqual({
      ses_domain: 'staging.example.com',
      allow_plain_http: true,
    });
  });

  it('production: the region picks backend/<region>.hcl and regions/<region>.tfvars', () => {
    const result = prepare({ ENVIRONMENT: 'production', REGION: 'us-east-1' });
    expect(result.status).toBe(0);
    expect(result.outputs).toMatchObject({
      backend: 'backend/us-east-1.hcl',
      'var-file': 'regions/us-east-1.tfvars',
    });
  });

  it.each([
    [
      { ENVIRONMENT: 'production', REGION: 'eu-west-1' },
      /has no backend\/eu-west-1.hcl: this environment is not set up for eu-west-1/,
    ],
    [
      { ENVIRONMENT: 'qa', REGION: 'us-east-1' },
      /input 'environment' must be staging or production, got 'qa'/,
    ],
    [{ ENVIRONMENT: 'staging', REGION: 'useast1' }, /input 'region' must be an AWS region/],
    [
      { ENVIRONMENT: 'staging', REGION: 'us-east-1', STATE_BUCKET: '' },
      /input 'state-bucket' is empty: set the TF_STATE_BUCKET variable/,
    ],
    [
      { ENVIRONMENT: 'staging', REGION: 'us-east-1', VARIABLES: '["a"]' },
      /input 'variables' must be a JSON object/,
    ],
    [
      { ENVIRONMENT: 'staging', REGION: 'us-east-1', MODE: 'destroy' },
      /input 'mode' must be plan, apply or read/,
    ],
  ])('refuses %j', (env, message) => {
    const result = prepare(env as Record<string, string>);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(message);
  });
});

describe('terraform-environment: plan', () => {
  const planJson = JSON.stringify({
    resource_changes: [
      { change: { actions: ['create'] } },
      { change: { actions: ['delete'] } },
      { change: { actions: ['delete', 'create'] } },
      { change: { actions: ['no-op'] } },
    ],
  });

  function plan(exitCode: number) {
    const stubBin = writeStubs(work, { terraform: terraformStub });
    return runStep(stepById(terraformAction, 'plan'), {
      cwd: repo,
      runnerTemp,
      stubBin,
      env: {
        ROOT: 'terraform/environments/production',
        VAR_FILE: 'regions/us-east-1.tfvars',
        ENVIRONMENT: 'production',
        REGION: 'us-east-1',
        STUB_PLAN_EXIT: String(exitCode),
        STUB_PLAN_JSON: planJson,
      },
    });
  }

  it('exit code 2 means changes: saved plan, JSON and text renderings, counts in the summary', () => {
    const result = plan(2);
    expect(result.status).toBe(0);
    expect(result.outputs['has-changes']).toBe('true');
    expect(JSON.parse(readFileSync(result.outputs['plan-json'], 'utf8'))).toEqual(
      JSON.parse(planJson),
    );
    expect(readFileSync(result.outputs['plan-text'], 'utf8')).toContain('Plan: text');
    expect(result.summary).toContain('1 to add, 0 to change, 1 to destroy, 1 to replace');
    const log = readFileSync(path.join(runnerTemp, 'terraform.log'), 'utf8');
    expect(log).toContain(
      '-chdir=terraform/environments/production plan -lock-timeout=5m -out=tfplan -detailed-exitcode -var-file=regions/us-east-1.tfvars',
    );
  });

  it('exit code 0 means no changes', () => {
    expect(plan(0).outputs['has-changes']).toBe('false');
  });

  it('any other exit code fails the step', () => {
    const result = plan(1);
    expect(result.status).toBe(1);
    expect(result.outputs['has-changes']).toBeUndefined();
  });
});

describe('terraform-environment: delivery', () => {
  const complete = {
    region: 'us-east-1',
    cluster_name: 'c',
    api_service_name: 'a',
    worker_service_name: 'w',
    api_container_name: 'api',
    worker_container_name: 'worker',
    codedeploy_application: 'a',
    codedeploy_deployment_group: 'a',
    ecr_api_repository_url: 'r/a',
    ecr_worker_repository_url: 'r/w',
    deploy_role_arn: 'arn:role',
    alb_url: 'https://x',
    test_listener_url: 'https://x:8443',
    test_listener_security_group_id: 'sg-0abc1234def567890',
    test_listener_port: 8443,
  };

  function delivery(value: unknown, requireTerraformRole = 'false') {
    const stubBin = writeStubs(work, { terraform: terraformStub });
    return runStep(stepById(terraformAction, 'delivery'), {
      cwd: repo,
      runnerTemp,
      stubBin,
      env: {
        ROOT: 'terraform/environments/staging',
        ENVIRONMENT: 'staging',
        REGION: 'us-east-1',
        REQUIRE_TERRAFORM_ROLE: requireTerraformRole,
        STUB_DELIVERY: value === undefined ? '' : JSON.stringify(value, null, 2),
      },
    });
  }

  it('outputs the delivery object as one line of JSON', () => {
    const result = delivery(complete);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.outputs.delivery)).toEqual(complete);
    expect(result.outputs.delivery).not.toContain('\n');
  });

  it('names the fields a delivery output lacks', () => {
    const result = delivery({ ...complete, alb_url: '', deploy_role_arn: null });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      'the delivery output of staging (us-east-1) lacks: deploy_role_arn, alb_url',
    );
  });

  it('requires the Terraform role when the caller will apply', () => {
    expect(delivery(complete, 'true').stdout).toContain('lacks: terraform_role_arn');
    expect(delivery({ ...complete, terraform_role_arn: 'arn:tf' }, 'true').status).toBe(0);
  });

  it('explains a root that was never applied', () => {
    const result = delivery(undefined);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("has no 'delivery' output in its state: apply the root once");
  });
});

describe('promote-image', () => {
  const digest = 'sha256:' + 'ab'.repeat(32);
  const repositoryUrl = '123456789012.dkr.ecr.us-west-2.amazonaws.com/notify-production-usw2-api';

  function promote(existing: string) {
    const source = path.join(work, 'images/api');
    mkdirSync(source, { recursive: true });
    writeFileSync(path.join(source, 'manifest.json'), '{}');
    const stubBin = writeStubs(work, {
      skopeo: `echo "skopeo $*" >>"$RUNNER_TEMP/calls.log"; if [[ "$1" == manifest-digest ]]; then echo "${digest}"; fi; if [[ "$1" == login ]]; then cat >/dev/null; fi`,
      aws: `echo "aws $*" >>"$RUNNER_TEMP/calls.log"; if [[ "$2" == describe-images ]]; then ${existing ? `echo "${existing}"` : 'echo "ImageNotFoundException" >&2; exit 254'}; fi; if [[ "$2" == get-login-password ]]; then echo password; fi`,
    });
    const result = runStep(stepById(promoteAction, 'push'), {
      cwd: repo,
      runnerTemp,
      stubBin,
      env: { SOURCE: source, REPOSITORY_URL: repositoryUrl, TAG: 'abc123' },
    });
    return { result, calls: readFileSync(path.join(runnerTemp, 'calls.log'), 'utf8'), source };
  }

  it('pushes a new tag preserving the digest and outputs the image by digest', () => {
    const { result, calls, source } = promote('');
    expect(result.status).toBe(0);
    expect(calls).toContain(
      `aws ecr describe-images --region us-west-2 --registry-id 123456789012 --repository-name notify-production-usw2-api --image-ids imageTag=abc123`,
    );
    expect(calls).toContain(
      `skopeo copy --preserve-digests --retry-times 3 dir:${source} docker://${repositoryUrl}:abc123`,
    );
    expect(result.outputs.image).toBe(`${repositoryUrl}@${digest}`);
  });

  it('keeps a tag that already holds the same digest (a re-run)', () => {
    const { result, calls } = promote(digest);
    expect(result.status).toBe(0);
    expect(calls).not.toContain('skopeo copy');
    expect(result.stdout).toContain('already holds');
  });

  it('refuses a tag that holds another digest', () => {
    const { result } = promote('sha256:' + 'cd'.repeat(32));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('tags are immutable');
  });
});

describe('deploy-record', () => {
  it('writes the record with the infrastructure step merged in as apply', () => {
    const step = { ...stepById(recordAction, 'write') };
    const result = runStep(step, {
      cwd: repo,
      runnerTemp,
      env: {
        NAME: 'staging',
        ENVIRONMENT: 'staging',
        REGION: 'us-east-1',
        STARTED_AT: '2026-11-22T10:00:00Z',
        JOB_STATUS: 'success',
        STEPS_JSON: JSON.stringify({
          api: { outcome: 'success', outputs: { status: 'Succeeded' } },
        }),
        DELIVERY_JSON: JSON.stringify({ cluster_name: 'c' }),
        INFRASTRUCTURE_JSON: JSON.stringify({ outcome: 'success', outputs: { applied: 'true' } }),
      },
    });
    expect(result.status).toBe(0);
    const record = JSON.parse(
      readFileSync(path.join(runnerTemp, 'deploy-record/deploy-record-staging.json'), 'utf8'),
    );
    expect(record).toMatchObject({
      version: 1,
      name: 'staging',
      jobStatus: 'success',
      delivery: { cluster_name: 'c' },
      steps: { api: { outcome: 'success' }, apply: { outputs: { applied: 'true' } } },
    });
    expect(Date.parse(record.finishedAt)).not.toBeNaN();
  });
});
