// The deploy report: one page that says which version went where, how long it took, what the
// smoke tests said and where to look, built from the records the environment jobs upload
// (.github/actions/deploy-record) and the run's job results.
import { codeDeployDeploymentUrl, ecsServiceUrl, taskDefinitionUrl } from '@notify/actions-shared';

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface StepRecord {
  outcome?: string;
  outputs: Record<string, string>;
}

export interface DeployRecord {
  name: string;
  environment: string;
  region: string;
  startedAt: string;
  finishedAt: string;
  jobStatus: string;
  delivery: Record<string, unknown>;
  steps: Record<string, StepRecord>;
}

export interface RunInfo {
  serverUrl: string;
  repository: string;
  runId: string;
  sha: string;
}

export interface JobResult {
  result: string;
  outputs: Record<string, string>;
}

export class DeployRecordError extends Error {
  constructor(source: string, detail: string) {
    super(`${source}: not a deploy record: ${detail}`);
    this.name = 'DeployRecordError';
  }
}

function stringField(data: Mapping, field: string, source: string, optional = false): string {
  const value = data[field];
  if (typeof value === 'string') return value;
  if (optional && (value === undefined || value === null)) return '';
  throw new DeployRecordError(source, `'${field}' must be a string`);
}

function stringMap(value: unknown): Record<string, string> {
  if (!isMapping(value)) return {};
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, entry]) =>
      typeof entry === 'string' || typeof entry === 'number' ? [[key, String(entry)]] : [],
    ),
  );
}

/** Parses one deploy-record-*.json (as written by .github/actions/deploy-record). */
export function parseDeployRecord(json: string, source: string): DeployRecord {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new DeployRecordError(source, `invalid JSON (${(error as Error).message})`);
  }
  if (!isMapping(data)) throw new DeployRecordError(source, 'the top level must be an object');
  if (data.version !== 1) throw new DeployRecordError(source, `'version' must be 1`);
  const steps: Record<string, StepRecord> = {};
  if (isMapping(data.steps)) {
    for (const [id, step] of Object.entries(data.steps)) {
      if (!isMapping(step)) continue;
      steps[id] = {
        outcome: typeof step.outcome === 'string' ? step.outcome : undefined,
        outputs: stringMap(step.outputs),
      };
    }
  }
  return {
    name: stringField(data, 'name', source),
    environment: stringField(data, 'environment', source),
    region: stringField(data, 'region', source, true),
    startedAt: stringField(data, 'startedAt', source, true),
    finishedAt: stringField(data, 'finishedAt', source, true),
    jobStatus: stringField(data, 'jobStatus', source),
    delivery: isMapping(data.delivery) ? data.delivery : {},
    steps,
  };
}

/** `${{ toJSON(needs) }}` -> job id -> result and outputs. */
export function parseNeeds(json: string): Record<string, JobResult> {
  const data: unknown = json.trim() === '' ? {} : JSON.parse(json);
  if (!isMapping(data)) throw new Error("Input 'needs' must be the JSON object of toJSON(needs)");
  return Object.fromEntries(
    Object.entries(data).map(([job, value]) => [
      job,
      {
        result: isMapping(value) && typeof value.result === 'string' ? value.result : 'unknown',
        outputs: isMapping(value) ? stringMap(value.outputs) : {},
      },
    ]),
  );
}

const ICONS: Record<string, string> = {
  success: '✅',
  Succeeded: '✅',
  failure: '❌',
  Failed: '❌',
  Error: '❌',
  TimedOut: '⏱️',
  Stopped: '⏹️',
  cancelled: '⏹️',
  skipped: '⚪',
};

function icon(status: string | undefined): string {
  return (status && ICONS[status]) ?? '⚪';
}

/** 372 -> "6m 12s"; undefined when either time is missing or unreadable. */
export function formatDuration(startedAt: string, finishedAt: string): string | undefined {
  const start = Date.parse(startedAt);
  const end = Date.parse(finishedAt);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return undefined;
  const seconds = Math.round((end - start) / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${seconds % 60}s` : `${seconds}s`;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function revision(taskDefinitionArn: string | undefined): string {
  return taskDefinitionArn ? (taskDefinitionArn.split('/').pop() ?? taskDefinitionArn) : '';
}

function serviceCell(record: DeployRecord, stepId: 'api' | 'worker'): string {
  const step = record.steps[stepId];
  if (step === undefined || step.outcome === 'skipped' || step.outcome === undefined) {
    return '⚪ not run';
  }
  const status = step.outputs.status || (step.outcome === 'success' ? 'Succeeded' : 'Failed');
  const to = revision(step.outputs['task-definition-arn']);
  const from = revision(step.outputs['previous-task-definition-arn']);
  const change = to ? ` \`${to}\`${from ? ` (from \`${from}\`)` : ''}` : '';
  return `${icon(status)} ${status}${change}`;
}

function smokeCell(record: DeployRecord): string {
  const step = record.steps.smoke;
  if (step === undefined || step.outcome === undefined || step.outcome === 'skipped') {
    return '⚪ not run';
  }
  const passed = Number(step.outputs.passed ?? 0);
  const failed = Number(step.outputs.failed ?? 0);
  if (step.outcome === 'success' && failed === 0) return `✅ ${passed}/${passed + failed} passed`;
  return `❌ ${failed} failed, ${passed} passed`;
}

function infrastructureCell(record: DeployRecord): string {
  const apply = record.steps.apply;
  if (apply === undefined || apply.outcome === 'skipped' || apply.outcome === undefined) {
    return 'unchanged (no apply)';
  }
  if (apply.outcome !== 'success') return '❌ apply failed';
  return apply.outputs.applied === 'true' ? '✅ applied' : 'no changes in plan';
}

function linksFor(record: DeployRecord): string[] {
  const d = record.delivery;
  const region = text(d.region) || record.region;
  const cluster = text(d.cluster_name);
  const links: string[] = [];
  if (text(d.alb_url)) links.push(`[API](${text(d.alb_url)})`);
  if (region && cluster && text(d.api_service_name)) {
    links.push(`[API service](${ecsServiceUrl(region, cluster, text(d.api_service_name))})`);
  }
  if (region && cluster && text(d.worker_service_name)) {
    links.push(`[worker service](${ecsServiceUrl(region, cluster, text(d.worker_service_name))})`);
  }
  const deploymentId = record.steps.api?.outputs['deployment-id'];
  if (region && deploymentId?.startsWith('d-')) {
    links.push(`[CodeDeploy ${deploymentId}](${codeDeployDeploymentUrl(region, deploymentId)})`);
  }
  for (const stepId of ['api', 'worker'] as const) {
    const arn = record.steps[stepId]?.outputs['task-definition-arn'];
    if (region && arn) links.push(`[${revision(arn)}](${taskDefinitionUrl(region, arn)})`);
  }
  return links;
}

/** The deploy workflow's jobs that deploy an environment (and upload its record). */
const ENVIRONMENT_JOBS: Array<[job: string, environment: string]> = [
  ['deploy-staging', 'staging'],
  ['production', 'production'],
];

export interface DeployReportInput {
  run: RunInfo;
  records: DeployRecord[];
  needs: Record<string, JobResult>;
}

/** The whole report as GitHub-flavoured markdown. */
export function renderDeployReport({ run, records, needs }: DeployReportInput): string {
  const repoUrl = `${run.serverUrl}/${run.repository}`;
  const short = run.sha.slice(0, 7);
  const results = Object.values(needs).map((job) => job.result);
  const overall = results.includes('failure')
    ? 'failure'
    : results.includes('cancelled')
      ? 'cancelled'
      : 'success';
  const reached = new Set(records.map((record) => record.environment));
  const lines: string[] = [
    `# ${icon(overall)} Deploy of ${short}`,
    '',
    `Commit [\`${short}\`](${repoUrl}/commit/${run.sha}) · [workflow run](${repoUrl}/actions/runs/${run.runId})`,
    '',
  ];
  const images = needs.build?.outputs ?? {};
  if (images['api-image'] || images['worker-image']) {
    lines.push('**Images** (built once, promoted by digest):', '');
    if (images['api-image']) lines.push(`- API: \`${images['api-image']}\``);
    if (images['worker-image']) lines.push(`- worker: \`${images['worker-image']}\``);
    lines.push('');
  }
  if (records.length === 0) {
    lines.push('No environment was deployed in this run.', '');
  } else {
    lines.push(
      '| Environment | Region | Result | Infrastructure | API | Worker | Smoke test | Took |',
      '|---|---|---|---|---|---|---|---|',
    );
    const order = (r: DeployRecord) => (r.environment === 'staging' ? 0 : 1);
    const sorted = [...records].sort((a, b) => order(a) - order(b) || a.name.localeCompare(b.name));
    for (const record of sorted) {
      const took = formatDuration(record.startedAt, record.finishedAt) ?? '?';
      lines.push(
        `| ${record.environment} | ${record.region || '?'} | ${icon(record.jobStatus)} ${record.jobStatus} | ${infrastructureCell(record)} | ${serviceCell(record, 'api')} | ${serviceCell(record, 'worker')} | ${smokeCell(record)} | ${took} |`,
      );
    }
    lines.push('', '**Links**', '');
    for (const record of sorted) {
      const links = linksFor(record);
      lines.push(`- ${record.name}: ${links.length > 0 ? links.join(' · ') : 'none recorded'}`);
    }
    lines.push('');
  }
  for (const [job, environment] of ENVIRONMENT_JOBS) {
    const result = needs[job]?.result;
    if (result === undefined || reached.has(environment)) continue;
    const why =
      result === 'skipped' ? 'skipped (an earlier stage failed or was cancelled)' : result;
    lines.push(
      `${environment[0].toUpperCase()}${environment.slice(1)} was not deployed: ${why}.`,
      '',
    );
  }
  lines.push(
    '<details><summary>Jobs</summary>',
    '',
    '| Job | Result |',
    '|---|---|',
    ...Object.entries(needs).map(([job, { result }]) => `| ${job} | ${icon(result)} ${result} |`),
    '',
    '</details>',
  );
  return `${lines.join('\n')}\n`;
}
