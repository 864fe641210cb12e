// Command-line smoke test, by default against the local stack:
//   node actions/smoke-test/src/cli.ts [--base-url URL] [--token TOKEN] [--recipient ADDR]
//                                      [--timeout-seconds N]
// Prints a table and exits 1 when a check fails, 2 on bad arguments.
import { parseArgs } from 'node:util';
import { readSmokeInputs, type SmokeInputs } from './inputs.ts';
import { smokeTextTable } from './report.ts';
import { runSmokeTests } from './smoke.ts';

const defaults: Record<string, string> = {
  'base-url': process.env.SMOKE_BASE_URL ?? 'http://127.0.0.1:3000',
  token: process.env.SMOKE_TOKEN ?? 'local-dev-token',
  'timeout-seconds': '30',
};

let values: Record<string, string | undefined>;
try {
  values = parseArgs({
    options: {
      'base-url': { type: 'string' },
      token: { type: 'string' },
      recipient: { type: 'string' },
      'timeout-seconds': { type: 'string' },
      'latency-budget-ms': { type: 'string' },
    },
    strict: true,
  }).values;
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

let inputs: SmokeInputs;
try {
  const getInput = (name: string) => values[name] ?? defaults[name] ?? '';
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
