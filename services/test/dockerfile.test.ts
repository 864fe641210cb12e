// The services run with a read-only root filesystem and /tmp as the one writable mount (issue 12,
// defect 5): the image must own /tmp as the user it runs as, or the mount is root's and 0755.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dockerfile = readFileSync(join(__dirname, '..', 'Dockerfile'), 'utf8');
// Instructions of the last stage, continuation lines joined.
const runtime = dockerfile
  .replace(/\\\n/g, ' ')
  .split(/^FROM /m)
  .at(-1)!
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

test('the runtime stage gives /tmp to node (sticky, world-writable) before switching to node', () => {
  const tmp = runtime.findIndex((line) => /^COPY\b.*\s\/tmp\/?$/.test(line));
  const user = runtime.findIndex((line) => line === 'USER node');
  expect(tmp).toBeGreaterThan(-1);
  expect(runtime[tmp]).toContain('--chown=node:node');
  expect(runtime[tmp]).toContain('--chmod=1777');
  expect(user).toBeGreaterThan(tmp);
  // The copied directory exists in the stage it comes from.
  const source = /--from=(\S+).*\s(\S+)\s+\/tmp\/?$/.exec(runtime[tmp])!;
  expect(source[1]).toBe('deps');
  expect(dockerfile).toMatch(/WORKDIR \/app\n[\s\S]*RUN mkdir -p runtime-tmp/);
  expect(source[2]).toBe('/app/runtime-tmp');
});
