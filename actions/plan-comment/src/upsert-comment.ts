// One comment per environment: find ours by the hidden marker it starts with, edit it in place,
// or create it. Reading every page matters: a PR with over 100 comments would otherwise get a
// duplicate each run.
import type { IssueComment, IssueCommentsApi, IssueRef } from './github-comments.ts';

export type UpsertAction = 'created' | 'updated' | 'unchanged';

export interface UpsertResult {
  action: UpsertAction;
  comment: IssueComment;
  /** Other comments that also carry the marker (left alone). */
  duplicates: number;
}

/**
 * Ours starts with the marker; a human quoting it would not, so a quote is never edited.
 * The oldest match wins so that the comment keeps its place in the conversation.
 */
export function findMarkedComments(comments: IssueComment[], marker: string): IssueComment[] {
  return comments.filter(
    (c) => typeof c.body === 'string' && c.body.trimStart().startsWith(marker),
  );
}

export async function upsertComment(
  api: IssueCommentsApi,
  issue: IssueRef,
  marker: string,
  body: string,
): Promise<UpsertResult> {
  if (!body.startsWith(marker)) throw new Error('comment body must start with its marker');
  const matches = findMarkedComments(await api.listAll(issue), marker);
  const existing = matches[0];
  const duplicates = Math.max(0, matches.length - 1);
  if (!existing) return { action: 'created', comment: await api.create(issue, body), duplicates };
  // GitHub stores what it is sent; an identical body needs no edit (and no "edited" badge).
  if (existing.body === body) return { action: 'unchanged', comment: existing, duplicates };
  return { action: 'updated', comment: await api.update(issue, existing.id, body), duplicates };
}
