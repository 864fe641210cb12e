// What a workflow rule reports: which rule, where, and what is wrong in words a reviewer can act on.
export interface Finding {
  rule: string;
  file: string;
  line?: number;
  message: string;
}

export function formatFinding(finding: Finding): string {
  const where = finding.line === undefined ? finding.file : `${finding.file}:${finding.line}`;
  return `${where}: [${finding.rule}] ${finding.message}`;
}

/** A GitHub workflow command that shows the finding as an annotation on the file. */
export function toAnnotation(finding: Finding): string {
  const escape = (value: string) =>
    value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const line = finding.line === undefined ? '' : `,line=${finding.line}`;
  return `::error file=${finding.file}${line},title=${finding.rule}::${escape(finding.message)}`;
}
