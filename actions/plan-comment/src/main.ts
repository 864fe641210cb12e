import * as core from '@actions/core';
import { context } from '@actions/github';
import { readPlanCommentInputs, type RunContext } from './inputs.ts';
import { commentPlan } from './plan-comment.ts';

export async function run(): Promise<void> {
  try {
    const inputs = readPlanCommentInputs((name) => core.getInput(name), runContext());
    core.setSecret(inputs.token);
    if (!inputs.issue) {
      core.notice(
        `No pull request for this ${context.eventName || 'run'} and no pr-number input: ` +
          'the plan goes to the job summary only.',
      );
    }
    const result = await commentPlan({
      environment: inputs.environment,
      planJsonPath: inputs.planJsonPath,
      planTextPath: inputs.planTextPath,
      runUrl: inputs.runUrl,
      issue: inputs.issue,
      github: { apiUrl: inputs.apiUrl, token: inputs.token },
      commentAuthor: inputs.commentAuthor,
      log: (line) => core.info(line),
    });
    core.setOutput('add', result.counts.add);
    core.setOutput('change', result.counts.change);
    core.setOutput('destroy', result.counts.destroy);
    core.setOutput('replace', result.counts.replace);
    core.setOutput('comment-url', result.comment?.url ?? '');
    if (result.counts.destroy + result.counts.replace > 0) {
      core.warning(
        `The ${inputs.environment} plan destroys ${result.counts.destroy} and replaces ` +
          `${result.counts.replace} resource(s); see the plan comment.`,
      );
    }
    try {
      await core.summary.addRaw(result.body).write();
    } catch (error) {
      core.warning(`Job summary not written: ${error instanceof Error ? error.message : error}`);
    }
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

function runContext(): RunContext {
  const payload = context.payload;
  const issueIsPullRequest = Boolean(payload.issue?.pull_request);
  return {
    eventName: context.eventName,
    pullRequestNumber:
      payload.pull_request?.number ?? (issueIsPullRequest ? payload.issue?.number : undefined),
    repository: process.env.GITHUB_REPOSITORY || undefined,
    serverUrl: context.serverUrl,
    runId: Number.isFinite(context.runId) ? context.runId : undefined,
    apiUrl: context.apiUrl,
  };
}
