// Setup for the unit tier: unit tests run in this process only. Starting a child process (an
// emulator, a service, bash, git, esbuild's binary) makes a test integration or system, so it
// fails here with a message that says where such a test belongs.
const childProcess = require('node:child_process');

const refuse = (name) =>
  function refused() {
    throw new Error(
      `unit tests start no processes (child_process.${name} was called): name the file ` +
        '*.integration.test.ts (real emulators or tools) or move it to tests/system/ ' +
        '(the product started as processes)',
    );
  };

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  childProcess[name] = refuse(name);
}
