// Runs the committed bundle the way the runner does (INPUT_* variables) to prove it starts and
// fails with a message naming the missing input — before touching AWS.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

function runBundle(inputs: Record<string, string>) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return spawnSync(
    path.join(root, 'node_modules/.bin/node'),
    [path.join(root, 'actions/deploy/dist/index.js')],
    { env, encoding: 'utf8', timeout: 20_000 },
  );
}

describe('deploy bundle', () => {
  it('fails naming the missing input', () => {
    const result = runBundle({
      cluster: 'notify-staging',
      service: 'notify-staging-api',
      'aws-region': 'eu-west-1',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("::error::Input 'image' is required but was not given");
  });

  it('fails naming an invalid input', () => {
    const result = runBundle({
      cluster: 'notify-staging',
      service: 'notify-staging-api',
      'aws-region': 'eu-west-1',
      image: 'notify-api:latest',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("::error::Input 'image' must be a full image URI");
  });
});
