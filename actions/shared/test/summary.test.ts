import {
  codeBlock,
  details,
  escapeCell,
  formatDuration,
  joinSections,
  keyValueTable,
  link,
  progressBar,
  statusIcon,
  table,
  timeline,
} from '../src/summary.ts';

describe('summary building blocks', () => {
  it('builds tables whose cells cannot break the layout', () => {
    expect(table(['Check', 'Detail'], [['a|b', 'line1\nline2']])).toBe(
      '| Check | Detail |\n| --- | --- |\n| a\\|b | line1<br>line2 |',
    );
    expect(escapeCell('x|y')).toBe('x\\|y');
  });

  it('keeps markdown in raw cells and in key/value values', () => {
    const md = keyValueTable([['Service', link('api', 'https://console/x')]]);
    expect(md).toContain('| **Service** | [api](https://console/x) |');
  });

  it('renders a timeline with UTC clock and elapsed time', () => {
    const start = Date.UTC(2026, 0, 1, 12, 0, 0);
    const md = timeline([
      { at: start, text: 'Deployment d-ABC created', status: 'info' },
      { at: start + 65_000, text: 'Ready: test traffic on green', status: 'running' },
    ]);
    expect(md.split('\n')).toEqual([
      '| Time (UTC) | + | Event |',
      '| --- | --- | --- |',
      `| 12:00:00 | 0s | ${statusIcon('info')} Deployment d-ABC created |`,
      `| 12:01:05 | 1m 05s | ${statusIcon('running')} Ready: test traffic on green |`,
    ]);
  });

  it('makes collapsible sections, safe code fences and progress bars', () => {
    expect(details('Plan <full>', 'body')).toBe(
      '<details><summary>Plan &lt;full&gt;</summary>\n\nbody\n\n</details>',
    );
    expect(codeBlock('has ``` inside', 'text')).toBe('````text\nhas ``` inside\n````');
    expect(progressBar(40)).toBe('████░░░░░░ 40%');
    expect(progressBar(150)).toBe('██████████ 100%');
  });

  it('formats durations and joins sections', () => {
    expect(formatDuration(42_000)).toBe('42s');
    expect(formatDuration(3_725_000)).toBe('1h 02m');
    expect(joinSections('a', undefined, false, 'b')).toBe('a\n\nb\n');
  });
});
