// The slice of GitHub's REST API the plan comment needs: list an issue's (or PR's) comments
// page by page, create one, update one. Plain fetch against a configurable base URL, so it
// works with GitHub Enterprise Server and with a local fake in tests.

export interface IssueComment {
  id: number;
  body: string;
  html_url: string;
  /** Who wrote it; null for a deleted account. */
  user?: { login?: string } | null;
}

export interface IssueRef {
  owner: string;
  repo: string;
  issueNumber: number;
}

export interface GitHubClientOptions {
  apiUrl: string;
  token: string;
  fetchImpl?: typeof fetch;
}

export class GitHubApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'GitHubApiError';
    this.status = status;
  }
}

export interface IssueCommentsApi {
  /** Every comment on the issue, following the Link header's rel="next" to the last page. */
  listAll(issue: IssueRef): Promise<IssueComment[]>;
  create(issue: IssueRef, body: string): Promise<IssueComment>;
  update(issue: IssueRef, commentId: number, body: string): Promise<IssueComment>;
  /**
   * The token's own login (GET /user), or undefined for tokens that may not read it: the
   * workflow's GITHUB_TOKEN and app installation tokens get 403 there.
   */
  viewerLogin(issue: IssueRef): Promise<string | undefined>;
}

export function createIssueCommentsApi(options: GitHubClientOptions): IssueCommentsApi {
  const fetchImpl = options.fetchImpl ?? fetch;
  const base = options.apiUrl.replace(/\/+$/, '');
  const repoPath = (issue: IssueRef) =>
    `${base}/repos/${encodeURIComponent(issue.owner)}/${encodeURIComponent(issue.repo)}`;

  async function call(
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    issue: IssueRef,
    body?: unknown,
  ): Promise<{ data: unknown; link: string | null }> {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${options.token}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'notify-plan-comment',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new Error(`${method} ${url} failed: ${(error as Error).message}`, { cause: error });
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (!response.ok) {
      throw new GitHubApiError(
        response.status,
        explain(response.status, method, issue, data, text),
      );
    }
    return { data, link: response.headers.get('link') };
  }

  return {
    async listAll(issue) {
      const comments: IssueComment[] = [];
      let url: string | undefined =
        `${repoPath(issue)}/issues/${issue.issueNumber}/comments?per_page=100`;
      const seen = new Set<string>();
      while (url) {
        // A Link header pointing back at a page already read would loop forever.
        if (seen.has(url)) throw new Error(`GitHub pagination loops back to ${url}`);
        seen.add(url);
        const page = await call('GET', url, issue);
        if (!Array.isArray(page.data)) throw new Error(`GET ${url}: expected a list of comments`);
        comments.push(...(page.data as IssueComment[]));
        url = nextPage(page.link);
      }
      return comments;
    },
    async create(issue, body) {
      const url = `${repoPath(issue)}/issues/${issue.issueNumber}/comments`;
      return (await call('POST', url, issue, { body })).data as IssueComment;
    },
    async update(issue, commentId, body) {
      const url = `${repoPath(issue)}/issues/comments/${commentId}`;
      return (await call('PATCH', url, issue, { body })).data as IssueComment;
    },
    async viewerLogin(issue) {
      try {
        const { data } = await call('GET', `${base}/user`, issue);
        const login = (data as { login?: unknown } | undefined)?.login;
        return typeof login === 'string' ? login : undefined;
      } catch (error) {
        if (error instanceof GitHubApiError && error.status === 403) return undefined;
        throw error;
      }
    },
  };
}

/** The rel="next" target of an RFC 8288 Link header, as GitHub sends it. */
export function nextPage(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2].split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

/** What went wrong, in terms of what the workflow author controls. */
function explain(
  status: number,
  method: string,
  issue: IssueRef,
  data: unknown,
  text: string,
): string {
  const githubMessage =
    (data as { message?: unknown } | undefined)?.message ?? (text.slice(0, 200) || 'no message');
  const where = `${issue.owner}/${issue.repo}#${issue.issueNumber}`;
  const said = `GitHub answered ${status} to ${method} (${String(githubMessage)})`;
  switch (status) {
    case 401:
      return `${said}: the github-token input was rejected; pass a valid token (usually \${{ github.token }}).`;
    case 403:
      return (
        `${said}: the github-token may not comment on ${where}. Give the job ` +
        '`permissions: pull-requests: write` (and issues: write), or, for pull requests from ' +
        'forks, run the plan comment from a workflow that has write access.'
      );
    case 404:
      return `${said}: ${where} was not found, or the github-token cannot see the repository; check the repository and pr-number inputs.`;
    case 422:
      return `${said}: GitHub refused the comment body for ${where}.`;
    default:
      return `${said} for ${where}.`;
  }
}
