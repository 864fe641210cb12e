// Runs one `run:` step of a composite action or workflow the way a runner does (bash
// --noprofile --norc -eo pipefail), with the step's env given directly instead of evaluated from `${{ }}`, stub
// commands first on PATH, and GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STEP_SUMMARY as files.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface CompositeStep {
  id?: string;
  name?: string;
  run?: string;
  env?: Record<string, string>;
}

export function compositeSteps(actionFile: string): CompositeStep[] {
  const data = parse(readFileSync(actionFile, 'utf8')) as { runs: { steps: CompositeStep[] } };
  return data.runs.steps;
}

export function stepById(actionFile: string, id: string): CompositeStep {
  const step = compositeSteps(actionFile).find((candidate) => candidate.id === id);
  if (!step?.run) throw new Error(`${actionFile} has no run: step with id '${id}'`);
  return step;
}

/** A `run:` step of a workflow job, by job id and step id. */
export function workflowStep(workflowFile: string, jobId: string, id: string): CompositeStep {
  const data = parse(readFileSync(workflowFile, 'utf8')) as {
    jobs: Record<string, { steps: CompositeStep[] }>;
  };
  const step = data.jobs[jobId]?.steps.find((candidate) => candidate.id === id);
  if (!step?.run) throw new Error(`${workflowFile} job '${jobId}' has no run: step '${id}'`);
  return step;
}

export interface StepResult {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  exportedEnv: Record<string, string>;
  summary: string;
}

function readKeyValues(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Writes executable stub commands (name -> bash body) into `<dir>/bin`. */
export function writeStubs(dir: string, stubs: Record<string, string>): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, body] of Object.entries(stubs)) {
    const file = path.join(bin, name);
    writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return bin;
}

export function runStep(
  step: CompositeStep,
  options: { cwd: string; env: Record<string, string>; stubBin?: string; runnerTemp: string },
): StepResult {
  const files = {
    GITHUB_OUTPUT: path.join(options.runnerTemp, 'output'),
    GITHUB_ENV: path.join(options.runnerTemp, 'env'),
    GITHUB_STEP_SUMMARY: path.join(options.runnerTemp, 'summary'),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const script = path.join(options.runnerTemp, 'step.sh');
  writeFileSync(script, step.run ?? '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: {
      PATH: [options.stubBin, process.env.PATH].filter(Boolean).join(path.delimiter),
      HOME: options.runnerTemp,
      RUNNER_TEMP: options.runnerTemp,
      GITHUB_REPOSITORY: 'acme/notify',
      ...files,
      ...options.env,
    },
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: readKeyValues(files.GITHUB_OUTPUT),
    exportedEnv: readKeyValues(files.GITHUB_ENV),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}
