// The deploy report turns the environment jobs' records into one page: version, where it went,
// timings, smoke results and links; and it is honest about what did not happen.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DeployRecordError,
  formatDuration,
  parseDeployRecord,
  parseNeeds,
  renderDeployReport,
} from '../src/report.ts';
import { readDeployRecords } from '../src/records.ts';

const run = {
  serverUrl: 'https://github.com',
  repository: 'acme/notify',
  runId: '42',
  sha: 'abcdef1234567890abcdef1234567890abcdef12',
};

const delivery = {
  region: 'us-east-1',
  cluster_name: 'notify-staging',
  api_service_name: 'notify-staging-api',
  worker_service_name: 'notify-staging-worker',
  alb_url: 'https://api.staging.example.com',
};

function record(overrides: Record<string, unknown> = {}) {
  return {
    version: 1,
    name: 'staging',
    environment: 'staging',
    region: 'us-east-1',
    startedAt: '2026-11-22T10:00:00Z',
    finishedAt: '2026-11-22T10:06:12Z',
    jobStatus: 'success',
    delivery,
    steps: {
      apply: { outcome: 'skipped', outputs: {} },
      api: {
        outcome: 'success',
        outputs: {
          status: 'Succeeded',
          'deployment-id': 'd-ABC123',
          'task-definition-arn':
            'arn:aws:ecs:us-east-1:123456789012:task-definition/notify-staging-api:42',
          'previous-task-definition-arn':
            'arn:aws:ecs:us-east-1:123456789012:task-definition/notify-staging-api:41',
        },
      },
      worker: {
        outcome: 'success',
        outputs: {
          status: 'Succeeded',
          'task-definition-arn':
            'arn:aws:ecs:us-east-1:123456789012:task-definition/notify-staging-worker:7',
        },
      },
      smoke: { outcome: 'success', outputs: { passed: '7', failed: '0' } },
    },
    ...overrides,
  };
}

const needs = {
  changes: { result: 'success', outputs: { terraform: 'false' } },
  build: {
    result: 'success',
    outputs: { 'api-image': '1.dkr.ecr.us-east-1.amazonaws.com/notify-staging-api@sha256:aa' },
  },
  'deploy-staging': { result: 'success', outputs: {} },
  production: { result: 'skipped', outputs: {} },
};

describe('deploy report', () => {
  it('shows the version, each environment, revisions, smoke results, timings and links', () => {
    const report = renderDeployReport({
      run,
      records: [parseDeployRecord(JSON.stringify(record()), 'staging.json')],
      needs: parseNeeds(JSON.stringify(needs)),
    });
    expect(report).toContain('Deploy of abcdef1');
    expect(report).toContain('https://github.com/acme/notify/commit/' + run.sha);
    expect(report).toContain('https://github.com/acme/notify/actions/runs/42');
    expect(report).toContain('notify-staging-api@sha256:aa');
    expect(report).toContain(
      '| staging | us-east-1 | ✅ success | unchanged (no apply) | ✅ Succeeded `notify-staging-api:42` (from `notify-staging-api:41`) | ✅ Succeeded `notify-staging-worker:7` | ✅ 7/7 passed | 6m 12s |',
    );
    expect(report).toContain('[API](https://api.staging.example.com)');
    expect(report).toContain('/codesuite/codedeploy/deployments/d-ABC123?region=us-east-1');
    expect(report).toContain(
      '/ecs/v2/clusters/notify-staging/services/notify-staging-worker/health',
    );
    expect(report).toContain('Production was not deployed: skipped');
  });

  it('reports a failed smoke test and a stopped blue/green deploy', () => {
    const failed = record({
      jobStatus: 'failure',
      steps: {
        api: { outcome: 'failure', outputs: { status: 'Stopped' } },
        worker: { outcome: 'skipped', outputs: {} },
        smoke: { outcome: 'failure', outputs: { passed: '5', failed: '2' } },
      },
    });
    const report = renderDeployReport({
      run,
      records: [parseDeployRecord(JSON.stringify(failed), 'x.json')],
      needs: parseNeeds(JSON.stringify({ ...needs, 'deploy-staging': { result: 'failure' } })),
    });
    expect(report).toContain('# ❌ Deploy of abcdef1');
    expect(report).toContain('⏹️ Stopped');
    expect(report).toContain('⚪ not run');
    expect(report).toContain('❌ 2 failed, 5 passed');
  });

  it('says so when nothing was deployed', () => {
    const report = renderDeployReport({ run, records: [], needs: parseNeeds('') });
    expect(report).toContain('No environment was deployed in this run.');
  });

  it('orders staging before production regions and shows applied infrastructure', () => {
    const production = record({
      name: 'production-second-region',
      environment: 'production',
      region: 'us-west-2',
      steps: { apply: { outcome: 'success', outputs: { applied: 'true' } } },
    });
    const report = renderDeployReport({
      run,
      records: [
        parseDeployRecord(JSON.stringify(production), 'p.json'),
        parseDeployRecord(JSON.stringify(record()), 's.json'),
      ],
      needs: parseNeeds(JSON.stringify({ ...needs, production: { result: 'success' } })),
    });
    expect(report.indexOf('| staging |')).toBeLessThan(report.indexOf('| production |'));
    expect(report).toContain('| production | us-west-2 | ✅ success | ✅ applied |');
    expect(report).not.toContain('Production was not deployed');
  });

  it('rejects a record that is not one, naming the file and the field', () => {
    expect(() => parseDeployRecord('{', 'bad.json')).toThrow(DeployRecordError);
    expect(() => parseDeployRecord('{', 'bad.json')).toThrow(/bad\.json: not a deploy record/);
    expect(() => parseDeployRecord(JSON.stringify(record({ version: 2 })), 'v.json')).toThrow(
      /'version' must be 1/,
    );
    expect(() => parseDeployRecord(JSON.stringify(record({ environment: 3 })), 'e.json')).toThrow(
      /'environment' must be a string/,
    );
  });

  it('formats durations', () => {
    expect(formatDuration('2026-11-22T10:00:00Z', '2026-11-22T10:00:09Z')).toBe('9s');
    expect(formatDuration('2026-11-22T10:00:00Z', '2026-11-22T11:01:01Z')).toBe('61m 1s');
    expect(formatDuration('', '2026-11-22T10:00:09Z')).toBeUndefined();
  });

  it('reads the records of a downloaded artifacts folder, in name order', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deploy-report-'));
    try {
      writeFileSync(
        path.join(dir, 'deploy-record-production-primary.json'),
        JSON.stringify(record({ name: 'production-primary', environment: 'production' })),
      );
      writeFileSync(path.join(dir, 'deploy-record-staging.json'), JSON.stringify(record()));
      writeFileSync(path.join(dir, 'unrelated.txt'), 'not a record');
      expect(readDeployRecords(dir).map((r) => r.name)).toEqual(['production-primary', 'staging']);
      writeFileSync(path.join(dir, 'deploy-record-broken.json'), '{');
      expect(() => readDeployRecords(dir)).toThrow(
        /deploy-record-broken.json: not a deploy record/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads no records when no environment uploaded one (no folder)', () => {
    expect(readDeployRecords(path.join(tmpdir(), 'no-such-deploy-records'))).toEqual([]);
    expect(readDeployRecords('')).toEqual([]);
  });
});

describe('deploy report: environments that were not reached', () => {
  it('names each environment job that produced no record', () => {
    const report = renderDeployReport({
      run,
      records: [],
      needs: parseNeeds(
        JSON.stringify({
          'infra-staging': { result: 'failure' },
          'deploy-staging': { result: 'skipped' },
          production: { result: 'skipped' },
        }),
      ),
    });
    expect(report).toContain('Staging was not deployed: skipped');
    expect(report).toContain('Production was not deployed: skipped');
    expect(report).toContain('| infra-staging | ❌ failure |');
  });
});
