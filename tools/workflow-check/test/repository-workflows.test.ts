// The repository's own workflows: actionlint-clean, every rule satisfied, and shaped the way the
// delivery design says (docs/delivery.md): what runs when, with which permissions and inputs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createWorkflowLinter, type WorkflowLinter } from '../src/actionlint.ts';
import { checkRepository } from '../src/check-workflows.ts';
import { formatFinding } from '../src/findings.ts';
import { createLocalActionReader } from '../src/local-actions.ts';
import { environmentOf, isMapping, jobsOf, usesOf, type Job, type Mapping } from '../src/model.ts';
import { loadAutomationFiles, type AutomationFile } from '../src/workflow-files.ts';

const root = path.resolve(__dirname, '..', '..', '..');
const files = loadAutomationFiles(root);
const workflows = files.filter((file) => file.kind === 'workflow');

function workflow(name: string): AutomationFile {
  const found = workflows.find((file) => file.path === `.github/workflows/${name}`);
  if (!found) throw new Error(`.github/workflows/${name} is missing`);
  return found;
}

function job(file: AutomationFile, id: string): Job {
  const found = jobsOf(file).find((candidate) => candidate.id === id);
  if (!found) throw new Error(`${file.path} has no job '${id}'`);
  return found;
}

const runs = (j: Job) => j.steps.map((step) => String(step.data.run ?? '')).join('\n');
const uses = (j: Job) => j.steps.map(usesOf).filter((u): u is string => u !== undefined);
const withOf = (j: Job, action: string): Mapping[] =>
  j.steps
    .filter((step) => usesOf(step) === action)
    .map((step) => (isMapping(step.data.with) ? step.data.with : {}));

describe('repository workflows', () => {
  let lint: WorkflowLinter;
  beforeAll(async () => {
    lint = await createWorkflowLinter();
  });

  it('has ci, deploy and rollback', () => {
    expect(workflows.map((file) => file.path)).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/deploy.yml',
        '.github/workflows/rollback.yml',
      ]),
    );
  });

  it.each(workflows.map((file) => [file.path, file] as const))(
    '%s: actionlint finds nothing',
    (_name, file) => {
      expect(lint(file).map(formatFinding)).toEqual([]);
    },
  );

  it('every workflow rule holds for every workflow and composite action', () => {
    expect(checkRepository(root).map(formatFinding)).toEqual([]);
  });

  it('uses all five custom actions, each with an existing action.yml', () => {
    const used = new Set(workflows.flatMap((file) => jobsOf(file).flatMap(uses)));
    const read = createLocalActionReader(root);
    for (const name of ['build-image', 'deploy', 'smoke-test', 'plan-comment', 'rollback']) {
      expect(used).toContain(`./actions/${name}`);
      expect(read(`./actions/${name}`)).toBeDefined();
    }
  });

  it('never types a resource name, ARN or account id: those come from the delivery output', () => {
    for (const file of files) {
      expect({
        file: file.path,
        hits: file.source.match(/arn:aws:|\b\d{12}\b|notify-(staging|production)/g),
      }).toEqual({
        file: file.path,
        hits: null,
      });
    }
  });

  describe('ci', () => {
    const ci = workflow('ci.yml');

    it('installs and runs npm test once, which typechecks, lints and checks formatting itself', () => {
      const test = job(ci, 'test');
      expect(runs(test)).toMatch(/npm ci/);
      expect(runs(test).match(/^npm test$/gm)).toHaveLength(1);
      // Running lint or typecheck as separate steps would do the same work twice.
      expect(runs(test)).not.toMatch(/npm run (lint|typecheck)/);
      const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(pkg.scripts.test.split(' && ')).toEqual(
        expect.arrayContaining(['tsc -p tsconfig.json', 'eslint .', 'prettier --check .']),
      );
    });

    it('runs the real tools, each at a pinned version', () => {
      const all = jobsOf(ci).map(runs).join('\n');
      expect(all).toMatch(/actionlint@v\d+\.\d+\.\d+/);
      expect(all).toMatch(/zizmor==\d+\.\d+\.\d+/);
      expect(all).toMatch(/aquasec\/trivy:\d+\.\d+\.\d+ config/);
      expect(runs(job(ci, 'terraform'))).toMatch(/TFLINT_VERSION|tflint/);
      expect(
        job(ci, 'terraform').steps.some((s) =>
          /^v\d+\.\d+\.\d+$/.test(String((s.data.env as Mapping | undefined)?.TFLINT_VERSION)),
        ),
      ).toBe(true);
      const images = job(ci, 'images');
      expect(runs(images)).toMatch(/docker build --file services\/Dockerfile/);
      const include = ((images.data.strategy as Mapping).matrix as Mapping).include as Mapping[];
      expect(include.map((entry) => entry.service).sort()).toEqual([
        'email-sender',
        'notification-api',
      ]);
    });

    it('fails when a fresh bundle differs from the committed dist/', () => {
      expect(runs(job(ci, 'bundle'))).toMatch(/npm run bundle/);
      expect(runs(job(ci, 'bundle'))).toMatch(/git diff --exit-code .*actions\/\*\/dist/);
    });

    it('checks Terraform formatting and validates every root without a backend', () => {
      const terraform = runs(job(ci, 'terraform'));
      expect(terraform).toMatch(/terraform fmt -check -recursive/);
      expect(terraform).toMatch(/init -backend=false/);
      expect(terraform).toMatch(/validate/);
      for (const rootDir of [
        'terraform/environments/staging',
        'terraform/environments/production',
      ]) {
        expect(terraform).toContain(rootDir);
      }
    });

    it('lints the workflows', () => {
      expect(runs(job(ci, 'workflows'))).toMatch(/node tools\/workflow-check\/cli\.ts/);
      expect(runs(job(ci, 'workflows'))).toMatch(/actionlint/);
    });

    it('plans each environment on same-repository pull requests with the plan role and comments', () => {
      const plan = job(ci, 'plan');
      expect(String(plan.data.if)).toContain("github.event_name == 'pull_request'");
      expect(String(plan.data.if)).toContain(
        'github.event.pull_request.head.repo.full_name == github.repository',
      );
      const credentials = withOf(
        plan,
        uses(plan).find((u) => u.startsWith('aws-actions/'))!,
      );
      expect(credentials[0]['role-to-assume']).toBe('${{ steps.target.outputs.plan-role }}');
      const resolve = plan.steps.find((step) => step.data.id === 'target')!;
      expect(resolve.data.env).toMatchObject({ PLAN_ROLE: '${{ vars.AWS_PLAN_ROLE_ARN }}' });
      expect(uses(plan)).toContain('./actions/plan-comment');
      expect(withOf(plan, './.github/actions/terraform-environment')[0].mode).toBe('plan');
      expect(JSON.stringify(plan.data.strategy)).toMatch(/staging.*production/);
    });

    it('tells fork pull requests visibly that the plan was skipped, without credentials', () => {
      const skipped = job(ci, 'plan-skipped');
      expect(String(skipped.data.if)).toContain('head.repo.full_name != github.repository');
      expect(skipped.data.permissions).toEqual({});
      expect(runs(skipped)).toContain('GITHUB_STEP_SUMMARY');
      expect(runs(skipped)).toContain('::notice');
    });
  });

  describe('deploy', () => {
    const deploy = workflow('deploy.yml');

    it('builds both images once with build-image', () => {
      const build = job(deploy, 'build');
      expect(uses(build).filter((u) => u === './actions/build-image')).toHaveLength(2);
      const buildSteps = jobsOf(deploy)
        .flatMap(uses)
        .filter((u) => u === './actions/build-image');
      expect(buildSteps).toHaveLength(2);
    });

    it('plans and applies Terraform on every run, staging and production, from the saved plan', () => {
      // A diff of this push alone skipped changes that an earlier run never got to apply.
      for (const id of ['infra-staging', 'production']) {
        const infra = job(deploy, id);
        const apply = infra.steps.find((step) => step.data.id === 'apply')!;
        expect(isMapping(apply.data.with) && apply.data.with.mode).toBe('apply');
        const terraformSteps = infra.steps.filter(
          (step) => step.data.id === 'apply' || /Terraform role/.test(String(step.data.name ?? '')),
        );
        expect(terraformSteps).toHaveLength(2);
        expect(terraformSteps.map((step) => step.data.if)).toEqual([undefined, undefined]);
      }
      expect(runs(job(deploy, 'changes'))).not.toMatch(/git diff/);
    });

    it('deploys the API blue/green with the test listener, the worker rolling, then smoke-tests', () => {
      for (const id of ['deploy-staging', 'production']) {
        const deployJob = job(deploy, id);
        const [api, worker] = withOf(deployJob, './actions/deploy');
        expect(api['test-url']).toMatch(/test_listener_url/);
        expect(api['smoke-token']).toBe('${{ secrets.SMOKE_API_TOKEN }}');
        expect(api.service).toMatch(/api_service_name/);
        expect(worker.service).toMatch(/worker_service_name/);
        expect(worker['test-url']).toBeUndefined();
        const order = uses(deployJob).filter((u) => u.startsWith('./actions/'));
        expect(order).toEqual(['./actions/deploy', './actions/deploy', './actions/smoke-test']);
        expect(withOf(deployJob, './actions/smoke-test')[0]['base-url']).toMatch(/alb_url/);
      }
    });

    it('puts production behind the production environment, after staging, region by region', () => {
      const production = job(deploy, 'production');
      expect(environmentOf(production)).toBe('production');
      expect(production.data.needs).toEqual(expect.arrayContaining(['deploy-staging', 'build']));
      expect(JSON.stringify(production.data.strategy)).toContain('PRODUCTION_SECOND_REGION');
      expect(production.data.strategy).toMatchObject({ 'max-parallel': 1 });
    });

    it('runs one deploy per environment at a time and never cancels one', () => {
      for (const [id, group] of [
        ['infra-staging', 'deploy-staging'],
        ['deploy-staging', 'deploy-staging'],
        ['production', 'deploy-production-${{ matrix.target }}'],
      ]) {
        expect(job(deploy, id).data.concurrency).toEqual({ group, 'cancel-in-progress': false });
      }
    });

    it('ends with a report job that always runs and reads every environment job', () => {
      const report = job(deploy, 'report');
      expect(report.data.if).toBe('always()');
      expect(report.data.needs).toEqual(
        expect.arrayContaining(['infra-staging', 'build', 'deploy-staging', 'production']),
      );
      expect(uses(report)).toContain('./actions/deploy-report');
    });
  });

  describe('rollback', () => {
    const rollback = workflow('rollback.yml');

    it('runs in the chosen environment with its deploy role, then smoke-tests and reports', () => {
      const j = job(rollback, 'rollback');
      expect(environmentOf(j)).toBe('${{ inputs.environment }}');
      expect(uses(j)).toEqual(
        expect.arrayContaining([
          './.github/actions/terraform-environment',
          './actions/rollback',
          './actions/smoke-test',
        ]),
      );
      expect(withOf(j, './actions/rollback')[0].target).toBe('${{ inputs.target }}');
      expect(withOf(j, './.github/actions/terraform-environment')[0].mode).toBe('read');
      expect(runs(j)).toContain('GITHUB_STEP_SUMMARY');
    });
  });
});

describe('dependabot', () => {
  const config = parse(readFileSync(path.join(root, '.github', 'dependabot.yml'), 'utf8')) as {
    version: number;
    updates: Array<{
      'package-ecosystem': string;
      directory?: string;
      directories?: string[];
      groups?: Record<string, unknown>;
    }>;
  };
  const update = (ecosystem: string) => {
    const found = config.updates.find((entry) => entry['package-ecosystem'] === ecosystem);
    if (!found) throw new Error(`dependabot.yml has no ${ecosystem} updates`);
    return found;
  };
  /** Directories an entry covers, with a trailing `/*` expanded like Dependabot does. */
  const directoriesOf = (entry: ReturnType<typeof update>) =>
    (entry.directories ?? [entry.directory ?? '/']).flatMap((dir) => {
      const relative = dir.replace(/^\//, '');
      if (!relative.endsWith('/*')) return [relative];
      const parent = relative.slice(0, -2);
      return readdirSync(path.join(root, parent), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${parent}/${entry.name}`);
    });

  it('updates npm (grouped), GitHub Actions, Terraform providers and Docker base images', () => {
    expect(config.version).toBe(2);
    expect(Object.keys(update('npm').groups ?? {})).toEqual(
      expect.arrayContaining(['aws-sdk', 'dev-tooling']),
    );
    for (const ecosystem of ['github-actions', 'terraform', 'docker']) update(ecosystem);
  });

  it('points every ecosystem at folders that hold what it updates', () => {
    const expectations: Array<[string, (dir: string) => boolean]> = [
      ['npm', (dir) => existsSync(path.join(root, dir, 'package.json'))],
      [
        'terraform',
        (dir) => readdirSync(path.join(root, dir)).some((name) => name.endsWith('.tf')),
      ],
      ['docker', (dir) => existsSync(path.join(root, dir, 'Dockerfile'))],
      [
        'github-actions',
        (dir) =>
          dir === ''
            ? existsSync(path.join(root, '.github', 'workflows'))
            : existsSync(path.join(root, dir, 'action.yml')),
      ],
    ];
    for (const [ecosystem, holds] of expectations) {
      const dirs = directoriesOf(update(ecosystem));
      expect(dirs.length).toBeGreaterThan(0);
      expect({ ecosystem, missing: dirs.filter((dir) => !holds(dir)) }).toEqual({
        ecosystem,
        missing: [],
      });
    }
  });

  it('covers every Terraform root and module', () => {
    const dirs = directoriesOf(update('terraform'));
    const modules = readdirSync(path.join(root, 'terraform', 'modules'));
    for (const dir of [
      'terraform/bootstrap',
      'terraform/environments/staging',
      'terraform/environments/production',
      ...modules.map((name) => `terraform/modules/${name}`),
    ]) {
      expect(dirs).toContain(dir);
    }
  });
});
