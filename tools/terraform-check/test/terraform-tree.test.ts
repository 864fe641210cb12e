// The gate: the real terraform/ tree passes every offline check with zero findings.
import { join } from 'node:path';
import { checkTerraformTree } from '../src/check-tree.ts';
import { formatFinding } from '../src/findings.ts';
import { loadSchemaSnapshot } from '../src/schema.ts';

const terraformRoot = join(__dirname, '..', '..', '..', 'terraform');

test('terraform/ passes the offline checks (schema, wiring, conventions, policies)', async () => {
  const snapshot = loadSchemaSnapshot(join(terraformRoot, 'schema', 'aws-provider-schema.json'));
  const result = await checkTerraformTree(terraformRoot, snapshot);
  expect(result.modules).toBeGreaterThan(0);
  expect(result.findings.map(formatFinding)).toEqual([]);
});
