// Runs every workflow rule over the repository's automation files.
import type { Finding } from './findings.ts';
import { createLocalActionReader, type LocalActionReader } from './local-actions.ts';
import { expectedTriggers } from './policy.ts';
import type { RuleContext, WorkflowRule } from './rule.ts';
import { actionlintVersion } from './rules/actionlint-version.ts';
import { deployConcurrency } from './rules/deploy-concurrency.ts';
import { leastPermissions } from './rules/least-permissions.ts';
import { localActionInputs } from './rules/local-action-inputs.ts';
import { nodeRuntime } from './rules/node-runtime.ts';
import { oidcCredentials } from './rules/oidc-credentials.ts';
import { pinnedActions } from './rules/pinned-actions.ts';
import { protectedEnvironments } from './rules/protected-environments.ts';
import { createTriggersRule, type TriggerExpectation } from './rules/triggers.ts';
import { untrustedInterpolation } from './rules/untrusted-interpolation.ts';
import { loadAutomationFiles, type AutomationFile } from './workflow-files.ts';

export function repositoryRules(triggers: TriggerExpectation[] = expectedTriggers): WorkflowRule[] {
  return [
    createTriggersRule(triggers),
    pinnedActions,
    localActionInputs,
    oidcCredentials,
    leastPermissions,
    untrustedInterpolation,
    protectedEnvironments,
    deployConcurrency,
    nodeRuntime,
    actionlintVersion,
  ];
}

export function runRules(
  files: AutomationFile[],
  readLocalAction: LocalActionReader,
  rules: WorkflowRule[],
): Finding[] {
  const context: RuleContext = { files, readLocalAction };
  return files.flatMap((file) => rules.flatMap((rule) => rule.check(file, context)));
}

/** All findings for the repository at `root`, including expected workflows that are missing. */
export function checkRepository(root: string, triggers = expectedTriggers): Finding[] {
  const files = loadAutomationFiles(root);
  const missing = triggers
    .map((expectation) => `.github/workflows/${expectation.file}`)
    .filter((path) => !files.some((file) => file.path === path))
    .map<Finding>((path) => ({ rule: 'triggers', file: path, message: 'workflow is missing' }));
  return [...missing, ...runRules(files, createLocalActionReader(root), repositoryRules(triggers))];
}
