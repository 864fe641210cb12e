// Which scan findings block the build: those at or above the configured severity.

export const SEVERITIES = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
  'UNDEFINED',
] as const;
export type Severity = (typeof SEVERITIES)[number];
export const THRESHOLDS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

export interface Finding {
  /** CVE id or similar. */
  name: string;
  severity: Severity;
  package?: string;
  uri?: string;
  description?: string;
  /** Which platform's image, for multi-platform builds. */
  platform?: string;
}

export function normaliseSeverity(value: string | undefined): Severity {
  const upper = (value ?? '').toUpperCase();
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : 'UNDEFINED';
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isAtOrAbove(severity: Severity, threshold: Threshold): boolean {
  if (threshold === 'NONE') return false;
  return severityRank(severity) <= severityRank(threshold);
}

export interface Evaluation {
  /** Findings that fail the build, most severe first. */
  blocking: Finding[];
  counts: Record<Severity, number>;
}

export function evaluateFindings(findings: readonly Finding[], threshold: Threshold): Evaluation {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity] += 1;
  const blocking = findings
    .filter((finding) => isAtOrAbove(finding.severity, threshold))
    .sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  return { blocking, counts };
}
