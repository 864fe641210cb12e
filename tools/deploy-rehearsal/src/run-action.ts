// Runs a committed action bundle (actions/<name>/dist/index.js) the way a GitHub runner does:
// inputs as INPUT_<NAME> variables, outputs and the job summary through the files named by
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, AWS credentials and region from the environment (as
// configure-aws-credentials leaves them), and the AWS endpoints pointed at the stand-ins.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface ActionRun {
  exitCode: number;
  outputs: Record<string, string>;
  summary: string;
  /** stdout + stderr, as the job log shows them. */
  log: string;
  durationMs: number;
}

/** Parses the GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` blocks. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const [, name, delimiter] = block;
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== delimiter; i += 1) value.push(lines[i]!);
      outputs[name!] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}

export async function runAction(
  name: string,
  inputs: Record<string, string>,
  options: { endpoint: string; ec2Endpoint: string; region: string; timeoutMs?: number },
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), `rehearse-${name}-`));
  const outputFile = join(dir, 'output');
  const summaryFile = join(dir, 'summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: inputs.environment ? `${name}-${inputs.environment}` : name,
    GITHUB_REPOSITORY: 'example/notify',
    GITHUB_SERVER_URL: 'https://github.com',
    RUNNER_TEMP: dir,
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: 'ASIAREHEARSAL0000000',
    AWS_SECRET_ACCESS_KEY: 'rehearsal-secret-access-key',
    AWS_SESSION_TOKEN: 'rehearsal-session-token',
    AWS_ENDPOINT_URL_ECS: options.endpoint,
    AWS_ENDPOINT_URL_CODEDEPLOY: options.endpoint,
    AWS_ENDPOINT_URL_EC2: options.ec2Endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  for (const [key, value] of Object.entries(inputs)) {
    env[`INPUT_${key.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const started = Date.now();
  const child = spawn(process.execPath, [join(ROOT, 'actions', name, 'dist', 'index.js')], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
  const exitCode = await new Promise<number>((resolve) =>
    child.on('close', (code) => resolve(code ?? 1)),
  );
  clearTimeout(timer);
  const run: ActionRun = {
    exitCode,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    log,
    durationMs: Date.now() - started,
  };
  rmSync(dir, { recursive: true, force: true });
  return run;
}
