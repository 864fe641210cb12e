// The PR comment (and job summary) for one environment's plan. GitHub rejects comments over
// 65,536 characters, so everything is fitted into a smaller budget: the resource table is
// capped, and the plan text gets what is left, cut in the middle with a note and a run link.
import {
  codeBlock,
  escapeCell,
  escapeHtml,
  heading,
  joinSections,
  link,
  statusIcon,
  table,
} from '@notify/actions-shared';
import { hasChanges, isDestructive, type ChangeKind, type PlanSummary } from './plan.ts';
import { preparePlanText, truncateMiddle } from './plan-text.ts';

export const GITHUB_COMMENT_LIMIT = 65_536;
/** Below the hard limit: leaves room for GitHub counting differently than String.length. */
export const COMMENT_BUDGET = 60_000;
const MAX_TABLE_ROWS = 250;
const MAX_DESTRUCTIVE_LISTED = 50;
/** Below this, a plan excerpt says too little to be worth showing. */
const MIN_PLAN_TEXT = 2_000;

export function commentMarker(environment: string): string {
  return `<!-- notify-plan-comment:${environment} -->`;
}

export interface CommentInput {
  environment: string;
  summary: PlanSummary;
  /** `terraform show` output; omitted when not given. */
  planText?: string;
  /** Link to the workflow run, where the full plan is. */
  runUrl?: string;
  budget?: number;
}

export interface RenderedComment {
  body: string;
  planTextTruncated: boolean;
}

const kindLabel: Record<ChangeKind, string> = {
  create: '➕ create',
  update: '🔄 update',
  delete: '🗑️ destroy',
  replace: '♻️ replace',
  forget: '👋 forget (removed from state only)',
};

export function renderPlanComment(input: CommentInput): RenderedComment {
  const budget = input.budget ?? COMMENT_BUDGET;
  const { summary, environment } = input;
  const marker = commentMarker(environment);
  const title = heading(`Terraform plan: \`${environment}\``);
  const runLink = input.runUrl ? `Full plan in the ${link('workflow run', input.runUrl)}.` : '';

  if (!hasChanges(summary)) {
    const body = joinSections(
      marker,
      title,
      `${statusIcon('success')} **No changes.** The infrastructure matches the configuration.`,
      runLink,
    );
    return { body, planTextTruncated: false };
  }

  const { add, change, destroy, replace } = summary.counts;
  const countsLine =
    `**Plan:** ${add} to add, ${change} to change, ${destroy} to destroy, ${replace} to replace` +
    (summary.outputChanges > 0 ? `; ${summary.outputChanges} output(s) change.` : '.');

  const destructive = summary.changes.filter(isDestructive);
  let warning = '';
  if (destructive.length > 0) {
    const listed = destructive.slice(0, MAX_DESTRUCTIVE_LISTED).map((c) => {
      const what = c.kind === 'delete' ? 'destroy' : 'replace';
      return `> - \`${escapeInline(c.address)}\` (${what}${c.reason ? `: ${c.reason}` : ''})`;
    });
    if (destructive.length > listed.length) {
      listed.push(`> - … and ${destructive.length - listed.length} more`);
    }
    warning = [
      '> [!CAUTION]',
      `> **This plan destroys or replaces ${destructive.length} resource${destructive.length === 1 ? '' : 's'}.** Data in them may be lost; check before merging.`,
      ...listed,
    ].join('\n');
  }

  const resourceTable = (rows: number) => {
    const shown = summary.changes.slice(0, rows);
    const rendered = table(
      ['Resource', 'Action'],
      shown.map((c) => [
        `\`${escapeCell(escapeInline(c.address))}\``,
        kindLabel[c.kind] + (c.reason ? ` (${escapeCell(c.reason)})` : ''),
      ]),
      { raw: true },
    );
    const hidden = summary.changes.length - shown.length;
    return hidden > 0 ? `${rendered}\n\n… and ${hidden} more resources (see the plan).` : rendered;
  };

  const assemble = (tableRows: number, planSection: string) =>
    joinSections(
      marker,
      title,
      warning,
      countsLine,
      summary.changes.length > 0 ? resourceTable(tableRows) : '',
      planSection,
      runLink,
    );

  // Shrink the table until the fixed part leaves the plan text a useful share of the budget.
  let rows = MAX_TABLE_ROWS;
  while (rows > 10 && assemble(rows, '').length > budget / 2) rows = Math.floor(rows / 2);

  if (input.planText === undefined) {
    return { body: assemble(rows, ''), planTextTruncated: false };
  }
  const text = preparePlanText(input.planText);
  const wrapper = (summaryLine: string, inner: string) =>
    `<details><summary>${escapeHtml(summaryLine)}</summary>\n\n${codeBlock(inner, 'diff')}\n\n</details>`;
  // Everything but the plan text itself, with the longest summary line it could get.
  const overhead =
    assemble(rows, wrapper(truncatedLine(text.length, text.length), '')).length + fenceGrowth(text);
  const room = budget - overhead;

  if (room < MIN_PLAN_TEXT) {
    const note =
      `The plan output (${count(text.length)} characters) is too large to include here.` +
      (input.runUrl ? ' It is in the workflow run log.' : '');
    return { body: assemble(rows, note), planTextTruncated: true };
  }
  const cut = truncateMiddle(
    text,
    room,
    (lines, chars) =>
      `\n… ${count(lines)} line${lines === 1 ? '' : 's'} (${count(chars)} characters) omitted to fit GitHub's comment limit` +
      (input.runUrl ? `; the full plan is in the workflow run log: ${input.runUrl}` : '') +
      ' …\n',
  );
  const summaryLine = cut.truncated ? truncatedLine(cut.omittedChars, text.length) : 'Plan output';
  return { body: assemble(rows, wrapper(summaryLine, cut.text)), planTextTruncated: cut.truncated };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function truncatedLine(omitted: number, total: number): string {
  return `Plan output (truncated: ${count(omitted)} of ${count(total)} characters omitted)`;
}

/** Backticks would end an inline code span early. */
function escapeInline(text: string): string {
  return text.replace(/`/g, "'");
}

/** codeBlock lengthens its fence past the longest backtick run; count that ahead of time. */
function fenceGrowth(text: string): number {
  const longestRun = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return 2 * Math.max(0, longestRun + 1 - 3);
}
