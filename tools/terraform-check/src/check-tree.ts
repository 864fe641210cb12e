// Runs every offline check over a Terraform tree: each directory with .tf files is a module.
import { dirname, relative } from 'node:path';
import { checkConventions } from './check-conventions.ts';
import { checkPolicies } from './check-policies.ts';
import { checkReferences } from './check-references.ts';
import { checkSchema } from './check-schema.ts';
import type { Finding } from './findings.ts';
import { compareFindings } from './findings.ts';
import type { TfFile } from './hcl-files.ts';
import { listTerraformDirectories, listTfvarsFiles, parseTfFile } from './hcl-files.ts';
import { checkTfvars, owningModule } from './check-tfvars.ts';
import { buildModule, type TerraformModule } from './module-model.ts';
import type { ProviderSchemaSnapshot } from './schema.ts';

export interface TreeCheckResult {
  findings: Finding[];
  modules: number;
  files: number;
}

/**
 * Checks every module under `root`. Paths in findings are relative to the parent of `root`
 * (so `terraform/modules/ecr/main.tf` for root `<repo>/terraform`).
 */
export async function checkTerraformTree(
  root: string,
  snapshot: ProviderSchemaSnapshot,
): Promise<TreeCheckResult> {
  const displayBase = dirname(root);
  const findings: Finding[] = [];
  const modulesByDir = new Map<string, TerraformModule>();
  let fileCount = 0;
  for (const [dir, paths] of listTerraformDirectories(root)) {
    const files: TfFile[] = [];
    for (const path of paths) {
      fileCount += 1;
      const { file, error } = await parseTfFile(path, displayBase);
      if (file) files.push(file);
      if (error) findings.push(error);
    }
    modulesByDir.set(dir, buildModule(dir, relative(displayBase, dir), files));
  }
  for (const module of modulesByDir.values()) {
    findings.push(...checkSchema(module, snapshot));
    findings.push(...(await checkReferences(module, modulesByDir, snapshot)));
    findings.push(...checkConventions(module, snapshot.providerVersion));
    findings.push(...(await checkPolicies(module)));
  }
  for (const path of listTfvarsFiles(root)) {
    fileCount += 1;
    const { file, error } = await parseTfFile(path, displayBase);
    if (error) findings.push(error);
    if (file) findings.push(...checkTfvars(file, owningModule(path, modulesByDir)));
  }
  return { findings: findings.sort(compareFindings), modules: modulesByDir.size, files: fileCount };
}
