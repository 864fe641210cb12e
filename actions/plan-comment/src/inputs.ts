// The plan-comment action's inputs. The target PR, repository, run link and API URL default to
// what the workflow run provides, so a typical step passes only the environment and the files.
import { createInputReader, InputError, type GetInput } from '@notify/actions-shared';
import type { IssueRef } from './github-comments.ts';
import { WORKFLOW_BOT_LOGIN } from './upsert-comment.ts';

/** What the run provides (from @actions/github's context in main.ts). */
export interface RunContext {
  eventName?: string;
  pullRequestNumber?: number;
  repository?: string;
  serverUrl?: string;
  runId?: number;
  apiUrl?: string;
}

export interface PlanCommentInputs {
  environment: string;
  planJsonPath: string;
  planTextPath?: string;
  token: string;
  /** Login the comment is written as when the token cannot tell (GET /user answers 403). */
  commentAuthor: string;
  /** Undefined when the run is not about a pull request and no pr-number was given. */
  issue?: IssueRef;
  runUrl?: string;
  apiUrl: string;
}

export function readPlanCommentInputs(getInput: GetInput, context: RunContext): PlanCommentInputs {
  const inputs = createInputReader(getInput);
  const environment = inputs.string('environment', {
    required: true,
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    hint: 'letters, digits, ".", "_" or "-" (it is part of the hidden comment marker)',
  });
  const planJsonPath = inputs.string('plan-json', { required: true });
  const planTextPath = inputs.optional('plan-text');
  const token = inputs.string('github-token', { required: true });

  const repository =
    inputs.optional('repository', { pattern: /^[\w.-]+\/[\w.-]+$/, hint: 'owner/name' }) ??
    context.repository;
  const prNumber =
    getInput('pr-number').trim() === ''
      ? context.pullRequestNumber
      : inputs.int('pr-number', { min: 1 });

  let issue: IssueRef | undefined;
  if (prNumber !== undefined) {
    if (!repository) {
      throw new InputError('repository', 'is required when GITHUB_REPOSITORY is not set');
    }
    const [owner, repo] = repository.split('/');
    issue = { owner, repo, issueNumber: prNumber };
  }

  const defaultRunUrl =
    context.serverUrl && context.repository && context.runId
      ? `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`
      : undefined;

  return {
    environment,
    planJsonPath,
    planTextPath,
    token,
    issue,
    runUrl: inputs.url('run-url') ?? defaultRunUrl,
    commentAuthor: inputs.string('comment-author', {
      fallback: WORKFLOW_BOT_LOGIN,
      pattern: /^[A-Za-z0-9-]+(\[bot\])?$/,
      hint: 'a GitHub login such as github-actions[bot] or my-app[bot]',
    }),
    apiUrl: inputs.url('api-url') ?? context.apiUrl ?? 'https://api.github.com',
  };
}
