// `npm run rehearse` as part of the test command: every deploy path, from the committed action
// bundles run as a runner runs them, against the ECS/CodeDeploy/EC2 stand-ins and the real API.
import { startGreenTasks, type GreenTasks } from '../../tools/deploy-rehearsal/src/green-tasks.ts';
import {
  runScenarios,
  scenarios,
  type ScenarioResult,
} from '../../tools/deploy-rehearsal/src/scenarios.ts';

jest.setTimeout(240_000);

let green: GreenTasks;
let results: Map<string, ScenarioResult>;

beforeAll(async () => {
  green = await startGreenTasks();
  results = new Map((await runScenarios(green)).map((r) => [r.name, r]));
});

afterAll(async () => {
  await green?.stop();
});

it.each(scenarios.map((s) => s.name))('%s', (name) => {
  const result = results.get(name)!;
  const failed = result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  expect(failed).toEqual([]);
  expect(result.checks.length).toBeGreaterThan(2);
  expect(result.summaries.join('')).not.toBe('');
});
