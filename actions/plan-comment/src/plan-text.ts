// The human-readable plan (`terraform show <planfile>`), made fit for a comment: no colour
// codes, diff markers where GitHub highlights them, and cut in the middle when too long.
import { stripVTControlCharacters } from 'node:util';

/**
 * Strips colour codes (in case -no-color was forgotten) and moves each line's leading +/-
 * to column 0 so a ```diff block colours additions and deletions.
 */
export function preparePlanText(raw: string): string {
  return stripVTControlCharacters(raw)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/^(\s+)([+-])(?=[\s/])/, '$2$1'))
    .join('\n')
    .replace(/^(\s*\n)+/, '')
    .replace(/\s+$/, '');
}

export interface Truncated {
  text: string;
  truncated: boolean;
  omittedLines: number;
  omittedChars: number;
}

/**
 * Keeps the head and the tail of `text` (whole lines) so that the result, including the
 * notice put where the middle was, is at most `maxChars` long. The head says what changes
 * first; the tail holds Terraform's "Plan: ..." line.
 */
export function truncateMiddle(
  text: string,
  maxChars: number,
  notice: (omittedLines: number, omittedChars: number) => string,
): Truncated {
  if (text.length <= maxChars) {
    return { text, truncated: false, omittedLines: 0, omittedChars: 0 };
  }
  // Room for the notice at its longest (the counts can only be smaller than the totals).
  const noticeRoom = notice(countLines(text), text.length).length + 2;
  const room = Math.max(0, maxChars - noticeRoom);
  const headBudget = Math.ceil(room / 2);
  const tailBudget = room - headBudget;

  let head = cutAtLine(text.slice(0, headBudget), 'head');
  let tail = cutAtLine(text.slice(text.length - tailBudget), 'tail');
  // A single line longer than the budget: fall back to cutting inside it.
  if (head === '' && headBudget > 0) head = text.slice(0, headBudget);
  if (tail === '' && tailBudget > 0) tail = text.slice(text.length - tailBudget);

  const middle = text.slice(head.length, text.length - tail.length);
  const omittedLines = countLines(middle.replace(/^\n|\n$/g, ''));
  const result = [
    head.replace(/\n$/, ''),
    notice(omittedLines, middle.length),
    tail.replace(/^\n/, ''),
  ]
    .filter((part) => part !== '')
    .join('\n');
  return { text: result, truncated: true, omittedLines, omittedChars: middle.length };
}

function cutAtLine(fragment: string, keep: 'head' | 'tail'): string {
  if (keep === 'head') {
    const lastBreak = fragment.lastIndexOf('\n');
    return lastBreak === -1 ? '' : fragment.slice(0, lastBreak + 1);
  }
  const firstBreak = fragment.indexOf('\n');
  return firstBreak === -1 ? '' : fragment.slice(firstBreak);
}

function countLines(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length;
}
