// Command-line smoke test, by default against the local stack:
//   node actions/smoke-test/src/cli.ts [--base-url URL] [--token TOKEN] [--recipient ADDR]
//                                      [--timeout-seconds N] [--check-delivery true]
// Prints a table and exits 1 when a check fails, 2 on bad arguments.
import { parseArgs } from 'node:util';
import { readSmokeInputs, type SmokeInputs } from './inputs.ts';
import { smokeTextTable } from './report.ts';
import { runSmokeTests } from './smoke.ts';

const defaults: Record<string, string> = {
  'base-url': process.env.SMOKE_BASE_URL ?? 'http://127.0.0.1:3000',
  token: process.env.SMOKE_TOKEN ?? 'local-dev-token',
  'timeout-seconds': '30',
  // Off here unless asked for: a local stack without the status endpoint must still pass.
  'check-delivery': 'false',
};

const usage = `Usage: npm run smoke -- [options]

Smoke-tests the notification API (by default the local stack from \`npm start\`).

Options:
  --base-url URL            API base URL (default $SMOKE_BASE_URL or http://127.0.0.1:3000)
  --token TOKEN             Bearer token (default $SMOKE_TOKEN or local-dev-token)
  --recipient ADDRESS       Address of the test notification (default success@simulator.amazonses.com)
  --timeout-seconds N       Time allowed for a warming-up API (default 30)
  --latency-budget-ms N     Slowest acceptable liveness answer (default 2000)
  --check-delivery BOOL     Also wait for the notification to reach delivered (default false)
  --delivery-timeout-seconds N  Time allowed to reach delivered (default 120)
  -h, --help                Print this help

Exit status: 0 all checks passed, 1 a check failed, 2 bad arguments.`;

let values: Record<string, string | boolean | undefined>;
try {
  values = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      'base-url': { type: 'string' },
      token: { type: 'string' },
      recipient: { type: 'string' },
      'timeout-seconds': { type: 'string' },
      'latency-budget-ms': { type: 'string' },
      'check-delivery': { type: 'string' },
      'delivery-timeout-seconds': { type: 'string' },
    },
    strict: true,
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

let inputs: SmokeInputs;
try {
  const getInput = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : (defaults[name] ?? '');
  };
  inputs = readSmokeInputs(getInput);
} catch (error) {
  console.error((error as Error).message.replace(/^Input '([^']+)'/, 'Option --$1'));
  process.exit(2);
}

console.log(`Smoke testing ${inputs.baseUrl} (deadline ${inputs.deadlineMs / 1000} s)`);
const report = await runSmokeTests({
  ...inputs,
  log: (line) => console.log(`  ${line}`),
});
console.log(`\n${smokeTextTable(report)}`);
process.exit(report.failed > 0 ? 1 : 0);
