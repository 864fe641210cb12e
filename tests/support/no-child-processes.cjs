// Setup for the unit tier: unit tests run in this process only. Starting a child process (an
// emulator, a service, bash, git, esbuild's binary) makes a test integration or system, so it
// fails here with a message that says where such a test belongs.
//
// The refusal goes through jest.mock, so it lives in this test file's module registry only.
// Patching the real `child_process` module instead would leak into every later test file that
// the same Jest worker runs, integration and system tiers included.
const refuse = (name) =>
  function refused() {
    throw new Error(
      `unit tests start no processes (child_process.${name} was called): name the file ` +
        '*.integration.test.ts (real emulators or tools) or move it to tests/system/ ' +
        '(the product started as processes)',
    );
  };

const refusedChildProcess = () => {
  const actual = jest.requireActual('node:child_process');
  const refused = { ...actual };
  for (const name of [
    'spawn',
    'spawnSync',
    'exec',
    'execSync',
    'execFile',
    'execFileSync',
    'fork',
  ]) {
    refused[name] = refuse(name);
  }
  return refused;
};

jest.mock('node:child_process', refusedChildProcess);
jest.mock('child_process', refusedChildProcess);
