// A local stand-in for GitHub's issue-comments REST API: pages of at most 100 (default 30) with
// Link headers, create (201), update (200), bearer-token check, and the 65,536-character limit.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string };
}

export interface LoggedRequest {
  method: string;
  url: string;
  body?: { body?: string };
}

export interface FakeGitHub {
  apiUrl: string;
  token: string;
  requests: LoggedRequest[];
  /** Comments per "owner/repo#number". */
  issues: Map<string, StoredComment[]>;
  seed(key: string, body: string, login?: string): StoredComment;
  comments(key: string): StoredComment[];
  close(): Promise<void>;
}

/**
 * `personalLogin` makes the token a personal one: GET /user answers its login and comments are
 * written as it. Without it the token is the workflow's GITHUB_TOKEN: GET /user answers 403
 * "Resource not accessible by integration", as GitHub does, and comments are github-actions[bot]'s.
 */
export async function startFakeGitHub(
  token = 'ghs_test_token',
  personalLogin?: string,
): Promise<FakeGitHub> {
  let nextId = 1000;
  const issues = new Map<string, StoredComment[]>();
  const requests: LoggedRequest[] = [];
  const list = (key: string) => {
    if (!issues.has(key)) issues.set(key, []);
    return issues.get(key) as StoredComment[];
  };
  const add = (key: string, body: string, login: string): StoredComment => {
    const [repoPath, number] = key.split('#');
    const id = nextId++;
    const comment = {
      id,
      body,
      html_url: `https://github.com/${repoPath}/pull/${number}#issuecomment-${id}`,
      user: { login },
    };
    list(key).push(comment);
    return comment;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const body = raw ? (JSON.parse(raw) as { body?: string }) : undefined;
      const url = new URL(req.url ?? '/', fake.apiUrl);
      requests.push({ method: req.method ?? '', url: url.pathname + url.search, body });
      const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(data));
      };
      if (req.headers.authorization !== `Bearer ${token}`) {
        return send(401, { message: 'Bad credentials' });
      }
      const listMatch = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
      const updateMatch = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
      if (url.pathname === '/user' && req.method === 'GET') {
        if (!personalLogin) {
          return send(403, {
            message: 'Resource not accessible by integration',
            documentation_url:
              'https://docs.github.com/rest/users/users#get-the-authenticated-user',
          });
        }
        return send(200, { login: personalLogin, id: 1, type: 'User' });
      }
      if (listMatch && req.method === 'GET') {
        const key = `${listMatch[1]}/${listMatch[2]}#${listMatch[3]}`;
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = list(key);
        const lastPage = Math.max(1, Math.ceil(all.length / perPage));
        const pageUrl = (n: number) =>
          `<${fake.apiUrl}${url.pathname}?per_page=${perPage}&page=${n}>`;
        const links: string[] = [];
        if (page < lastPage) links.push(`${pageUrl(page + 1)}; rel="next"`);
        if (page < lastPage) links.push(`${pageUrl(lastPage)}; rel="last"`);
        if (page > 1) links.push(`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`);
        return send(
          200,
          all.slice((page - 1) * perPage, page * perPage),
          links.length ? { link: links.join(', ') } : {},
        );
      }
      if (listMatch && req.method === 'POST') {
        const key = `${listMatch[1]}/${listMatch[2]}#${listMatch[3]}`;
        if (typeof body?.body !== 'string' || body.body.length > 65_536) {
          return send(422, {
            message: 'Validation Failed: body is too long (maximum is 65536 characters)',
          });
        }
        return send(201, add(key, body.body, personalLogin ?? 'github-actions[bot]'));
      }
      if (updateMatch && req.method === 'PATCH') {
        const id = Number(updateMatch[3]);
        const comment = [...issues.values()].flat().find((c) => c.id === id);
        if (!comment) return send(404, { message: 'Not Found' });
        if (typeof body?.body !== 'string' || body.body.length > 65_536) {
          return send(422, {
            message: 'Validation Failed: body is too long (maximum is 65536 characters)',
          });
        }
        comment.body = body.body;
        return send(200, comment);
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const fake: FakeGitHub = {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    requests,
    issues,
    seed: (key, body, login = 'someone') => add(key, body, login),
    comments: (key) => list(key),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}
