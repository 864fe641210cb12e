// End to end through commentPlan: real plan files on disk, a local GitHub issue-comments API.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GITHUB_COMMENT_LIMIT } from '../src/comment-body.ts';
import { commentPlan, type PlanCommentOptions } from '../src/plan-comment.ts';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { planJson, planText, type Change } from './plan-fixtures.ts';

const PR = 'acme/notify#42';
const issue = { owner: 'acme', repo: 'notify', issueNumber: 42 };
const runUrl = 'https://github.com/acme/notify/actions/runs/123456';

let github: FakeGitHub;
let dir: string;

beforeEach(async () => {
  github = await startFakeGitHub();
  dir = mkdtempSync(path.join(tmpdir(), 'plan-comment-'));
});

afterEach(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

function writePlan(name: string, changes: Change[], text = planText(40)) {
  const json = path.join(dir, `${name}.json`);
  const txt = path.join(dir, `${name}.txt`);
  writeFileSync(json, JSON.stringify(planJson(changes)));
  writeFileSync(txt, text);
  return { planJsonPath: json, planTextPath: txt };
}

function options(
  environment: string,
  files: { planJsonPath: string; planTextPath?: string },
): PlanCommentOptions {
  return {
    environment,
    ...files,
    runUrl,
    issue,
    github: { apiUrl: github.apiUrl, token: github.token },
  };
}

const ours = (environment: string) =>
  github
    .comments(PR)
    .filter((c) => c.body.startsWith(`<!-- notify-plan-comment:${environment} -->`));

describe('commentPlan against a GitHub-like API', () => {
  it('creates the comment once, then updates it in place past the first 100 comments', async () => {
    for (let i = 0; i < 130; i += 1) github.seed(PR, `review comment ${i}`);
    const first = await commentPlan(
      options('staging', writePlan('one', [['aws_sqs_queue.email', ['create']]])),
    );
    expect(first.comment?.action).toBe('created');
    expect(first.counts).toEqual({ add: 1, change: 0, destroy: 0, replace: 0 });

    // More discussion: our comment is now on page 2 of 3.
    for (let i = 0; i < 120; i += 1) github.seed(PR, `more discussion ${i}`);
    github.requests.length = 0;
    const second = await commentPlan(
      options(
        'staging',
        writePlan('two', [
          ['aws_sqs_queue.email', ['create']],
          ['aws_ecs_service.api', ['update']],
        ]),
      ),
    );

    expect(second.comment).toEqual({
      action: 'updated',
      id: first.comment?.id,
      url: first.comment?.url,
    });
    expect(ours('staging')).toHaveLength(1);
    expect(ours('staging')[0].body).toContain('1 to add, 1 to change, 0 to destroy, 0 to replace');
    expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      // Who am I: 403 for GITHUB_TOKEN, so the comment author is github-actions[bot].
      'GET /user',
      'GET /repos/acme/notify/issues/42/comments?per_page=100',
      'GET /repos/acme/notify/issues/42/comments?per_page=100&page=2',
      'GET /repos/acme/notify/issues/42/comments?per_page=100&page=3',
      `PATCH /repos/acme/notify/issues/comments/${first.comment?.id}`,
    ]);
    expect(github.comments(PR)).toHaveLength(251);
  });

  it('keeps one comment per environment and leaves the others untouched', async () => {
    const production = await commentPlan(
      options('production', writePlan('prod', [['aws_lb.main', ['update']]])),
    );
    const productionBody = ours('production')[0].body;
    await commentPlan(options('staging', writePlan('stg', [['aws_sqs_queue.email', ['create']]])));
    await commentPlan(options('staging', writePlan('stg2', [['aws_sqs_queue.dlq', ['create']]])));

    expect(ours('production')).toHaveLength(1);
    expect(ours('production')[0].body).toBe(productionBody);
    expect(ours('production')[0].id).toBe(production.comment?.id);
    expect(ours('staging')).toHaveLength(1);
    expect(ours('staging')[0].body).toContain('aws_sqs_queue.dlq');
    // "prod" is a different environment from "production": its marker does not match.
    await commentPlan(options('prod', writePlan('p', [['aws_lb.main', ['update']]])));
    expect(ours('production')[0].body).toBe(productionBody);
    expect(github.comments(PR)).toHaveLength(3);
  });

  it('does not edit a human comment that quotes the marker', async () => {
    const quote = github.seed(PR, '> <!-- notify-plan-comment:staging -->\n> is this right?');
    const result = await commentPlan(
      options('staging', writePlan('a', [['aws_sqs_queue.email', ['create']]])),
    );
    expect(result.comment?.action).toBe('created');
    expect(github.comments(PR).find((c) => c.id === quote.id)?.body).toContain('is this right?');
  });

  it("never overwrites somebody else's comment that starts with the marker", async () => {
    const planted = github.seed(
      PR,
      '<!-- notify-plan-comment:staging -->\nLGTM, merge it',
      'mallory',
    );
    const result = await commentPlan(
      options('staging', writePlan('a', [['aws_sqs_queue.email', ['create']]])),
    );
    expect(result.comment?.action).toBe('created');
    expect(github.comments(PR).find((c) => c.id === planted.id)?.body).toContain('LGTM, merge it');
    expect(github.comments(PR).find((c) => c.id === result.comment?.id)?.user.login).toBe(
      'github-actions[bot]',
    );
    // The next run finds its own comment, not mallory's.
    const again = await commentPlan(
      options('staging', writePlan('b', [['aws_sqs_queue.email', ['update']]])),
    );
    expect(again.comment).toMatchObject({ action: 'updated', id: result.comment?.id });
  });

  it("with a personal token, edits only the token's own comment (GET /user)", async () => {
    await github.close();
    github = await startFakeGitHub('ghp_personal', 'release-bot');
    const mine = github.seed(PR, '<!-- notify-plan-comment:staging -->\nold plan', 'release-bot');
    const bots = github.seed(
      PR,
      '<!-- notify-plan-comment:staging -->\nother',
      'github-actions[bot]',
    );
    const result = await commentPlan(
      options('staging', writePlan('a', [['aws_sqs_queue.email', ['create']]])),
    );
    expect(result.comment).toMatchObject({ action: 'updated', id: mine.id });
    expect(github.comments(PR).find((c) => c.id === bots.id)?.body).toContain('other');
  });

  it('does not edit the comment when nothing changed', async () => {
    const files = writePlan('same', [['aws_sqs_queue.email', ['create']]]);
    await commentPlan(options('staging', files));
    github.requests.length = 0;
    const again = await commentPlan(options('staging', files));
    expect(again.comment?.action).toBe('unchanged');
    expect(github.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('flags destroy and replace at the top with the right counts', async () => {
    const result = await commentPlan(
      options(
        'staging',
        writePlan('destructive', [
          ['aws_sqs_queue.email', ['create']],
          ['aws_ecs_service.api', ['update']],
          ['aws_dynamodb_table.idempotency', ['delete']],
          ['aws_lb.main', ['delete', 'create'], 'replace_because_cannot_update'],
        ]),
      ),
    );
    expect(result.counts).toEqual({ add: 1, change: 1, destroy: 1, replace: 1 });
    const body = ours('staging')[0].body;
    const caution = body.indexOf('[!CAUTION]');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(body.indexOf('**Plan:**'));
    expect(caution).toBeLessThan(body.indexOf('| Resource | Action |'));
    expect(body).toContain('This plan destroys or replaces 2 resources');
    expect(body).toContain('> - `aws_dynamodb_table.idempotency` (destroy)');
    expect(body).toContain('> - `aws_lb.main` (replace: replace_because_cannot_update)');
    expect(body).toContain('**Plan:** 1 to add, 1 to change, 1 to destroy, 1 to replace.');
    expect(body).toContain('| `aws_lb.main` | ♻️ replace (replace_because_cannot_update) |');
  });

  it('truncates a large plan under the limit, says so and links the run', async () => {
    const hugeText = planText(20_000);
    expect(hugeText.length).toBeGreaterThan(500_000);
    const changes: Change[] = Array.from({ length: 3_000 }, (_, i) => [
      `module.params.aws_ssm_parameter.p["${'k'.repeat(40)}${i}"]`,
      ['create'],
    ]);
    const result = await commentPlan(options('staging', writePlan('huge', changes, hugeText)));

    const body = ours('staging')[0].body;
    expect(result.planTextTruncated).toBe(true);
    expect(body.length).toBeLessThanOrEqual(60_000);
    expect(body.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(body).toMatch(
      /<summary>Plan output \(truncated: [\d,]+ of [\d,]+ characters omitted\)<\/summary>/,
    );
    expect(body).toMatch(
      /… [\d,]+ lines \([\d,]+ characters\) omitted to fit GitHub's comment limit/,
    );
    expect(body).toContain(`the full plan is in the workflow run log: ${runUrl}`);
    expect(body).toContain('Terraform will perform the following actions:');
    expect(body).toContain('Plan: 20000 to add, 0 to change, 0 to destroy.');
    expect(body).toMatch(/… and [\d,]+ more resources \(see the plan\)\./);
    expect(body).toContain(`[workflow run](${runUrl})`);
  });

  it('writes a short "no changes" comment, in place of the earlier one', async () => {
    const first = await commentPlan(
      options('staging', writePlan('a', [['aws_sqs_queue.email', ['create']]])),
    );
    const result = await commentPlan(
      options('staging', writePlan('none', [['aws_vpc.main', ['no-op']]])),
    );
    expect(result.counts).toEqual({ add: 0, change: 0, destroy: 0, replace: 0 });
    expect(result.comment).toMatchObject({ action: 'updated', id: first.comment?.id });
    const body = ours('staging')[0].body;
    expect(body).toContain('**No changes.**');
    expect(body).not.toContain('<details>');
    expect(body.length).toBeLessThan(500);
  });

  it('only renders when there is no pull request to comment on', async () => {
    const result = await commentPlan({
      ...options('staging', writePlan('a', [['aws_sqs_queue.email', ['create']]])),
      issue: undefined,
    });
    expect(result.comment).toBeUndefined();
    expect(result.body).toContain('1 to add');
    expect(github.requests).toEqual([]);
  });

  it('explains a rejected token in terms of the github-token input', async () => {
    await expect(
      commentPlan({
        ...options('staging', writePlan('a', [['aws_sqs_queue.email', ['create']]])),
        github: { apiUrl: github.apiUrl, token: 'wrong' },
      }),
    ).rejects.toThrow(
      /GitHub answered 401 to GET \(Bad credentials\): the github-token input was rejected/,
    );
  });

  it('names the input when a plan file is missing or not JSON', async () => {
    await expect(
      commentPlan(options('staging', { planJsonPath: path.join(dir, 'missing.json') })),
    ).rejects.toThrow(`Input 'plan-json': file ${path.join(dir, 'missing.json')} does not exist`);
    const notJson = path.join(dir, 'plan.txt');
    writeFileSync(notJson, 'Terraform will perform the following actions:');
    await expect(commentPlan(options('staging', { planJsonPath: notJson }))).rejects.toThrow(
      /Input 'plan-json': .*plan.txt is not JSON/,
    );
    const files = writePlan('a', []);
    await expect(
      commentPlan(options('staging', { ...files, planTextPath: path.join(dir, 'nope.txt') })),
    ).rejects.toThrow("Input 'plan-text': file");
  });
});
