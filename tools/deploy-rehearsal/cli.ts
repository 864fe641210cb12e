// `npm run rehearse [-- <name filter>]`: every deploy path, from the committed action bundles,
// against the ECS/CodeDeploy/EC2 stand-ins and the real API; prints each job summary and check.
import { startGreenTasks } from './src/green-tasks.ts';
import { runScenarios } from './src/scenarios.ts';

const filter = process.argv[2];
const green = await startGreenTasks();
let failed = 0;
try {
  const results = await runScenarios(green, filter ? (name) => name.includes(filter) : undefined);
  for (const result of results) {
    const bad = result.checks.filter((c) => !c.ok);
    failed += bad.length;
    console.log(
      `\n${bad.length === 0 ? 'PASS' : 'FAIL'} ${result.name} (${(result.durationMs / 1000).toFixed(1)} s)`,
    );
    for (const check of result.checks) {
      console.log(`  ${check.ok ? '✓' : '✗'} ${check.name}${check.ok ? '' : `: ${check.detail}`}`);
    }
    for (const summary of result.summaries) {
      console.log(`  ---- job summary ----\n${summary.replace(/^/gm, '  | ')}`);
    }
  }
} finally {
  await green.stop();
}
console.log(
  failed === 0 ? '\nrehearsal: every scenario passed' : `\nrehearsal: ${failed} check(s) failed`,
);
process.exit(failed === 0 ? 0 : 1);
