// Security policy checks mirroring checkov/trivy rules: one rule per file under policies/rules/,
// each reporting under its scanner id. A deliberate exception is annotated next to the code
// (see policy-exceptions.ts).
import type { Finding } from './findings.ts';
import { collectStatements } from './iam-statements.ts';
import type { TerraformModule } from './module-model.ts';
import { findException } from './policy-exceptions.ts';
import { policyRules } from './policies/registry.ts';
import type { PolicyRule } from './policies/rule.ts';

export async function checkPolicies(
  module: TerraformModule,
  rules: PolicyRule[] = policyRules,
): Promise<Finding[]> {
  const context = { module, statements: await collectStatements(module) };
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const candidate of await rule.check(context)) {
      const exception = findException(candidate.file, candidate.line, rule);
      if (exception.excepted) continue;
      findings.push({
        file: candidate.file.path,
        line: candidate.line,
        check: rule.id,
        message: exception.problem
          ? `${candidate.message} (${exception.problem})`
          : candidate.message,
      });
    }
  }
  return findings;
}
