// One problem found in the Terraform tree, printed as `file:line message` (line when known).
export interface Finding {
  /** Path relative to the checked root's parent, e.g. `terraform/modules/ecr/main.tf`. */
  file: string;
  line?: number;
  column?: number;
  /** Short id of the check (`schema`, `references`, `CKV_AWS_27`, ...), used for exceptions. */
  check: string;
  message: string;
}

export function formatFinding(finding: Finding): string {
  const position =
    finding.line === undefined
      ? ''
      : finding.column === undefined
        ? `:${finding.line}`
        : `:${finding.line}:${finding.column}`;
  return `${finding.file}${position} [${finding.check}] ${finding.message}`;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    a.message.localeCompare(b.message)
  );
}
