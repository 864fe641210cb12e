// Job-summary building blocks as plain markdown/HTML strings. main.ts hands the result to
// core.summary.addRaw(...).write(); building strings keeps every summary testable.

export type Status = 'success' | 'failure' | 'warning' | 'running' | 'skipped' | 'info';

const icons: Record<Status, string> = {
  success: '✅',
  failure: '❌',
  warning: '⚠️',
  running: '⏳',
  skipped: '⏭️',
  info: 'ℹ️',
};

export function statusIcon(status: Status): string {
  return icons[status];
}

/** Makes text safe inside a markdown table cell: no pipes or line breaks escape the cell. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function link(text: string, url: string): string {
  return `[${text.replace(/([[\]])/g, '\\$1')}](${url.replace(/[()\s]/g, encodeURIComponent)})`;
}

export function heading(text: string, level: 1 | 2 | 3 | 4 = 2): string {
  return `${'#'.repeat(level)} ${text}`;
}

/** Cells are escaped; pass `raw: true` for cells that already hold markdown (links, icons). */
export function table(
  headers: string[],
  rows: string[][],
  options: { raw?: boolean } = {},
): string {
  const cell = (text: string) => (options.raw ? text.replace(/\r?\n/g, '<br>') : escapeCell(text));
  const lines = [
    `| ${headers.map(cell).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${headers.map((_, i) => cell(row[i] ?? '')).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** Two-column table of facts; values are treated as markdown (so links work). */
export function keyValueTable(entries: Array<[string, string]>): string {
  return table(
    ['', ''],
    entries.map(([key, value]) => [`**${escapeCell(key)}**`, value]),
    { raw: true },
  );
}

/** A collapsible section; the body is markdown (blank lines keep GitHub rendering it). */
export function details(summary: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** A fenced block whose fence is longer than any backtick run inside the text. */
export function codeBlock(text: string, language = ''): string {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/** `████░░░░░░ 40%` — a text progress bar for traffic shifting. */
export function progressBar(percent: number, width = 10): string {
  const clamped = Math.max(0, Math.min(100, percent));
  const filled = Math.round((clamped / 100) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${Math.round(clamped)}%`;
}

export interface TimelineEntry {
  at: number;
  text: string;
  status?: Status;
}

/** `12:03:04` in UTC: runners and the AWS console disagree on local time; UTC is unambiguous. */
export function formatClock(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 19);
}

/** `1m 05s`, `42s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${seconds}s`;
}

/** Time (UTC), time since start, and what happened. */
export function timeline(entries: TimelineEntry[], startedAt = entries[0]?.at ?? 0): string {
  return table(
    ['Time (UTC)', '+', 'Event'],
    entries.map((entry) => [
      formatClock(entry.at),
      formatDuration(entry.at - startedAt),
      `${entry.status ? `${statusIcon(entry.status)} ` : ''}${escapeCell(entry.text)}`,
    ]),
    { raw: true },
  );
}

/** Joins sections with blank lines, skipping empty ones. */
export function joinSections(...sections: Array<string | undefined | false>): string {
  return sections.filter((section): section is string => Boolean(section)).join('\n\n') + '\n';
}
