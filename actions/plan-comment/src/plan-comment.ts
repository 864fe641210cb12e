// The whole plan-comment step without @actions/core: read the plan files, render the comment,
// post or update it. main.ts supplies inputs and writes outputs and the job summary.
import { readFile } from 'node:fs/promises';
import { commentMarker, renderPlanComment } from './comment-body.ts';
import { createIssueCommentsApi, type IssueRef } from './github-comments.ts';
import { summarisePlan, type PlanCounts } from './plan.ts';
import { upsertComment, WORKFLOW_BOT_LOGIN, type UpsertAction } from './upsert-comment.ts';

export interface PlanCommentOptions {
  environment: string;
  planJsonPath: string;
  planTextPath?: string;
  runUrl?: string;
  /** Where to comment; without it only the body is rendered (e.g. a push, not a PR). */
  issue?: IssueRef;
  github: { apiUrl: string; token: string; fetchImpl?: typeof fetch };
  /** Login that writes the comment when the token cannot say (GITHUB_TOKEN, app tokens). */
  commentAuthor?: string;
  log?: (line: string) => void;
}

export interface PlanCommentResult {
  counts: PlanCounts;
  body: string;
  planTextTruncated: boolean;
  comment?: { url: string; id: number; action: UpsertAction };
}

export async function commentPlan(options: PlanCommentOptions): Promise<PlanCommentResult> {
  const log = options.log ?? (() => {});
  const planJson = await readInputFile('plan-json', options.planJsonPath);
  let parsed: unknown;
  try {
    parsed = JSON.parse(planJson);
  } catch (error) {
    throw new Error(
      `Input 'plan-json': ${options.planJsonPath} is not JSON (${(error as Error).message}); ` +
        'write it with `terraform show -json tfplan > plan.json`',
      { cause: error },
    );
  }
  const summary = summarisePlan(parsed, `Input 'plan-json' (${options.planJsonPath})`);
  const planText =
    options.planTextPath === undefined
      ? undefined
      : await readInputFile('plan-text', options.planTextPath);

  const rendered = renderPlanComment({
    environment: options.environment,
    summary,
    planText,
    runUrl: options.runUrl,
  });
  const { add, change, destroy, replace } = summary.counts;
  log(
    `Plan for ${options.environment}: ${add} to add, ${change} to change, ${destroy} to destroy, ${replace} to replace`,
  );
  if (rendered.planTextTruncated) log('Plan text truncated to fit the comment limit');

  const result: PlanCommentResult = {
    counts: summary.counts,
    body: rendered.body,
    planTextTruncated: rendered.planTextTruncated,
  };
  if (!options.issue) return result;

  const api = createIssueCommentsApi(options.github);
  const author =
    (await api.viewerLogin(options.issue)) ?? options.commentAuthor ?? WORKFLOW_BOT_LOGIN;
  const upserted = await upsertComment(
    api,
    options.issue,
    commentMarker(options.environment),
    rendered.body,
    author,
  );
  const { owner, repo, issueNumber } = options.issue;
  log(
    `Comment ${upserted.action} on ${owner}/${repo}#${issueNumber}: ${upserted.comment.html_url}`,
  );
  if (upserted.duplicates > 0) {
    log(
      `${upserted.duplicates} older duplicate comment(s) for ${options.environment} left as they are`,
    );
  }
  result.comment = {
    url: upserted.comment.html_url,
    id: upserted.comment.id,
    action: upserted.action,
  };
  return result;
}

async function readInputFile(input: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? (error as Error).message})`;
    throw new Error(`Input '${input}': file ${path} ${why}`, { cause: error });
  }
}
