// The shape every workflow rule has, and what it is given to look at.
import type { Finding } from './findings.ts';
import type { LocalActionReader } from './local-actions.ts';
import type { AutomationFile } from './workflow-files.ts';

export interface RuleContext {
  /** All workflows and composite actions, so rules can follow `uses: ./.github/actions/x`. */
  files: AutomationFile[];
  readLocalAction: LocalActionReader;
}

export interface WorkflowRule {
  id: string;
  /** One line: what the rule guarantees. */
  description: string;
  check(file: AutomationFile, context: RuleContext): Finding[];
}
