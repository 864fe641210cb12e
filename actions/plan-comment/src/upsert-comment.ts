// One comment per environment: find ours by the hidden marker it starts with and its author, edit it in place,
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

/** The identity of the workflow's GITHUB_TOKEN, which writes the comment by default. */
export const WORKFLOW_BOT_LOGIN = 'github-actions[bot]';

/**
 * Ours starts with the marker and was written by `author` (the workflow's own identity):
 * anybody can post a comment starting with the marker, and that one must never be overwritten.
 * The oldest match wins so that the comment keeps its place in the conversation.
 */
export function findMarkedComments(
  comments: IssueComment[],
  marker: string,
  author: string,
): IssueComment[] {
  return comments.filter(
    (c) =>
      typeof c.body === 'string' &&
      c.body.trimStart().startsWith(marker) &&
      c.user?.login === author,
  );
}

export async function upsertComment(
  api: IssueCommentsApi,
  issue: IssueRef,
  marker: string,
  body: string,
  author: string,
): Promise<UpsertResult> {
  if (!body.startsWith(marker)) throw new Error('comment body must start with its marker');
  const matches = findMarkedComments(await api.listAll(issue), marker, author);
  const existing = matches[0];
  const duplicates = Math.max(0, matches.length - 1);
  if (!existing) return { action: 'created', comment: await api.create(issue, body), duplicates };
  // GitHub stores what it is sent; an identical body needs no edit (and no "edited" badge).
  if (existing.body === body) return { action: 'unchanged', comment: existing, duplicates };
  return { action: 'updated', comment: await api.update(issue, existing.id, body), duplicates };
}
