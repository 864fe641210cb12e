// How a smoke report reads: a markdown table for the job summary, a plain table for a terminal.
import {
  escapeCell,
  heading,
  joinSections,
  keyValueTable,
  statusIcon,
  table,
} from '@notify/actions-shared';
import type { SmokeReport } from './smoke.ts';

export function smokeSummaryMarkdown(report: SmokeReport, baseUrl: string): string {
  const ok = report.failed === 0;
  return joinSections(
    heading(`${statusIcon(ok ? 'success' : 'failure')} Smoke test ${ok ? 'passed' : 'failed'}`),
    keyValueTable([
      ['Target', `\`${escapeCell(baseUrl)}\``],
      ['Checks', `${report.passed} passed, ${report.failed} failed`],
    ]),
    table(
      ['Check', 'Result', 'Latency', 'Detail'],
      report.checks.map((check) => [
        escapeCell(check.name),
        statusIcon(check.ok ? 'success' : 'failure'),
        `${check.latencyMs} ms`,
        escapeCell(check.detail),
      ]),
      { raw: true },
    ),
  );
}

/** Fixed-width columns; the detail column takes the rest of the line. */
export function smokeTextTable(report: SmokeReport): string {
  const rows = report.checks.map((check) => [
    check.name,
    check.ok ? 'PASS' : 'FAIL',
    `${check.latencyMs} ms`,
    check.detail,
  ]);
  const header = ['CHECK', 'RESULT', 'LATENCY', 'DETAIL'];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell)).join('  ');
  return [
    line(header),
    ...rows.map(line),
    '',
    `${report.passed} passed, ${report.failed} failed`,
  ].join('\n');
}
