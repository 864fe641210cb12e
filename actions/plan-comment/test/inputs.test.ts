import { nextPage } from '../src/github-comments.ts';
import { readPlanCommentInputs, type RunContext } from '../src/inputs.ts';

const pullRequestRun: RunContext = {
  eventName: 'pull_request',
  pullRequestNumber: 7,
  repository: 'acme/notify',
  serverUrl: 'https://github.com',
  runId: 99,
  apiUrl: 'https://api.github.com',
};

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';
const required = { environment: 'staging', 'plan-json': 'plan.json', 'github-token': 't' };

describe('readPlanCommentInputs', () => {
  it('defaults the target, run link and API URL from the run', () => {
    expect(readPlanCommentInputs(reader(required), pullRequestRun)).toEqual({
      environment: 'staging',
      planJsonPath: 'plan.json',
      planTextPath: undefined,
      token: 't',
      issue: { owner: 'acme', repo: 'notify', issueNumber: 7 },
      runUrl: 'https://github.com/acme/notify/actions/runs/99',
      commentAuthor: 'github-actions[bot]',
      apiUrl: 'https://api.github.com',
    });
  });

  it('lets inputs override every default', () => {
    const inputs = readPlanCommentInputs(
      reader({
        ...required,
        'plan-text': 'plan.txt',
        'pr-number': '12',
        repository: 'other/repo',
        'run-url': 'https://ci.example.com/run/1/',
        'api-url': 'https://ghe.example.com/api/v3',
      }),
      pullRequestRun,
    );
    expect(inputs).toMatchObject({
      planTextPath: 'plan.txt',
      issue: { owner: 'other', repo: 'repo', issueNumber: 12 },
      runUrl: 'https://ci.example.com/run/1',
      apiUrl: 'https://ghe.example.com/api/v3',
    });
  });

  it('has no target on a push without pr-number', () => {
    const push = { ...pullRequestRun, eventName: 'push', pullRequestNumber: undefined };
    expect(readPlanCommentInputs(reader(required), push).issue).toBeUndefined();
  });

  it.each([
    [{ ...required, environment: '' }, "Input 'environment' is required"],
    [{ ...required, environment: 'staging -->' }, "Input 'environment' must be letters, digits"],
    [{ ...required, 'plan-json': '' }, "Input 'plan-json' is required"],
    [{ ...required, 'github-token': '' }, "Input 'github-token' is required"],
    [{ ...required, 'pr-number': 'abc' }, "Input 'pr-number' must be a whole number"],
    [{ ...required, 'pr-number': '0' }, "Input 'pr-number' must be at least 1"],
    [{ ...required, repository: 'just-a-name' }, "Input 'repository' must be owner/name"],
    [{ ...required, 'api-url': 'ftp://x' }, "Input 'api-url' must use http or https"],
  ])('rejects %j', (values, message) => {
    expect(() => readPlanCommentInputs(reader(values), pullRequestRun)).toThrow(message);
  });
});

describe('nextPage', () => {
  it('follows rel="next" wherever it is in the Link header', () => {
    expect(
      nextPage(
        '<https://api.github.com/repos/a/b/issues/1/comments?page=1>; rel="prev", ' +
          '<https://api.github.com/repos/a/b/issues/1/comments?page=3>; rel="next", ' +
          '<https://api.github.com/repos/a/b/issues/1/comments?page=9>; rel="last"',
      ),
    ).toBe('https://api.github.com/repos/a/b/issues/1/comments?page=3');
  });

  it('stops on the last page', () => {
    expect(nextPage(null)).toBeUndefined();
    expect(
      nextPage('<https://x/?page=1>; rel="first", <https://x/?page=2>; rel="prev"'),
    ).toBeUndefined();
  });
});
