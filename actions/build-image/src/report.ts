// The job summary of a build: what was pushed (with console links) and what the scan found.
import {
  ecrImageUrl,
  escapeCell,
  heading,
  joinSections,
  keyValueTable,
  link,
  statusIcon,
  table,
} from '@notify/actions-shared';
import type { BuildImageResult } from './build-image.ts';
import { SEVERITIES } from './severity.ts';

const MAX_FINDINGS_LISTED = 100;

export function buildSummaryMarkdown(
  result: BuildImageResult,
  region: string,
  repository: string,
): string {
  const scan = result.scan;
  const ok = scan.status === 'passed' || scan.status === 'skipped';
  const title = `${statusIcon(ok ? 'success' : 'failure')} Image \`${repository}:${result.tags[0].slice(0, 12)}\` ${
    scan.status === 'blocked'
      ? 'pushed, but the scan found blocking vulnerabilities'
      : scan.status === 'error'
        ? 'pushed, but the scan did not complete'
        : 'pushed'
  }`;
  const facts = keyValueTable([
    ['Image', `\`${escapeCell(result.image)}\``],
    [
      'Digest',
      link(
        result.digest,
        ecrImageUrl(region, result.registry.registryId, repository, result.digest),
      ),
    ],
    ['Tags', result.tags.map((t) => `\`${escapeCell(t)}\``).join(', ')],
    ['Platforms', result.platforms.join(', ')],
    [
      'Build',
      result.reused
        ? 'reused: this commit was already pushed (re-run), nothing rebuilt'
        : `${result.buildSeconds} s, cache ${result.cacheUsed ? 'on (GitHub Actions)' : 'off'}`,
    ],
  ]);

  let scanSection = '';
  if (scan.status === 'skipped') {
    scanSection = `${statusIcon('skipped')} Image scan not awaited (scan: false).`;
  } else if (scan.status === 'error') {
    scanSection = `${heading('Image scan', 3)}\n\n${statusIcon('failure')} ${escapeCell(scan.message)}`;
  } else {
    const counts = table(
      SEVERITIES.map((s) => s[0] + s.slice(1).toLowerCase()),
      [SEVERITIES.map((s) => String(scan.evaluation.counts[s]))],
    );
    const verdict =
      scan.status === 'passed'
        ? `${statusIcon('success')} No findings at or above ${scan.threshold === 'NONE' ? 'the threshold (NONE: never fails)' : scan.threshold}.`
        : `${statusIcon('failure')} ${scan.evaluation.blocking.length} finding(s) at or above ${scan.threshold}:`;
    const listed = scan.evaluation.blocking.slice(0, MAX_FINDINGS_LISTED);
    const findings =
      listed.length === 0
        ? ''
        : table(
            ['Severity', 'Vulnerability', 'Package', 'Description'],
            listed.map((f) => [
              f.severity,
              f.uri ? link(f.name, f.uri) : escapeCell(f.name),
              escapeCell(`${f.package ?? ''}${f.platform ? ` (${f.platform})` : ''}`),
              escapeCell(shorten(f.description ?? '', 160)),
            ]),
            { raw: true },
          ) +
          (scan.evaluation.blocking.length > listed.length
            ? `\n\n… and ${scan.evaluation.blocking.length - listed.length} more; see the ECR console.`
            : '');
    scanSection = joinSections(heading('Image scan', 3), counts, verdict, findings).trimEnd();
  }
  return joinSections(heading(title), facts, scanSection);
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
