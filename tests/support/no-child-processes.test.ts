// The unit tier's guard: a unit test that starts a process fails with a message naming the tier
// it belongs in, whichever way it imports child_process.
import * as childProcess from 'node:child_process';

test('spawning from a unit test fails and says where the test belongs', () => {
  expect(() => childProcess.spawnSync('true')).toThrow(/\*\.integration\.test\.ts.*tests\/system/);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const legacy = require('child_process') as typeof childProcess;
  expect(() => legacy.execFileSync('true')).toThrow(/unit tests start no processes/);
});
