// The shape every policy rule has (one rule per file under rules/, like tools/workflow-check):
// the checkov id it mirrors (or trivy's, when only trivy has the rule), the trivy id of the same
// rule when there is one, and a check that reports candidate findings. Exceptions are applied
// afterwards by check-policies.ts, so a rule only says what is wrong and where.
import type { Declaration, TerraformModule } from '../module-model.ts';
import type { PolicyStatement } from '../iam-statements.ts';
import type { PathStep } from '../source-map.ts';

export interface PolicyContext {
  module: TerraformModule;
  /** Every IAM statement of the module (policy documents and jsonencode'd policies). */
  statements: PolicyStatement[];
}

export interface Candidate {
  file: Declaration['file'];
  line?: number;
  message: string;
}

export interface PolicyRule {
  /** The id findings are reported under: checkov's (`CKV_AWS_27`), or trivy's short id. */
  id: string;
  /** trivy's id of the same rule (`AVD-AWS-0096`), when trivy has one. */
  trivy?: string;
  /** One line: what the rule guarantees. */
  description: string;
  check(context: PolicyContext): Candidate[] | Promise<Candidate[]>;
}

/** A candidate on a declaration (or one of its arguments), labelled `type.name: message`. */
export function at(declaration: Declaration, message: string, path: PathStep[] = []): Candidate {
  const located = declaration.range
    ? declaration.file.source.locate(declaration.range, path)
    : undefined;
  return {
    file: declaration.file,
    line: located?.start ?? declaration.range?.start,
    message: `${declaration.kind === 'module' ? 'module' : declaration.type}.${declaration.name}: ${message}`,
  };
}

/** Resources of the given types in the module. */
export function resourcesOf(module: TerraformModule, ...types: string[]): Declaration[] {
  return module.resources.filter((resource) => types.includes(resource.type));
}
