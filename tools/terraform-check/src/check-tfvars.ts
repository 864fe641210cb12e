// `-var-file` inputs: every value in a .tfvars file names a variable that the module owning the
// file (its nearest ancestor directory with .tf files) declares.
import { dirname } from 'node:path';
import type { Finding } from './findings.ts';
import type { TfFile } from './hcl-files.ts';
import type { TerraformModule } from './module-model.ts';

export function owningModule(
  path: string,
  modulesByDir: Map<string, TerraformModule>,
): TerraformModule | undefined {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const module = modulesByDir.get(dir);
    if (module) return module;
    if (dirname(dir) === dir) return undefined;
  }
}

export function checkTfvars(file: TfFile, module: TerraformModule | undefined): Finding[] {
  if (!module) {
    return [
      {
        file: file.path,
        check: 'tfvars',
        message: 'no Terraform module in this or a parent directory',
      },
    ];
  }
  const declared = new Set(module.variables.map((variable) => variable.name));
  const findings: Finding[] = [];
  for (const name of Object.keys(file.body)) {
    if (declared.has(name)) continue;
    const line = file.source.lines.findIndex((text) => new RegExp(`^\\s*${name}\\s*=`).test(text));
    findings.push({
      file: file.path,
      line: line < 0 ? undefined : line + 1,
      check: 'tfvars',
      message: `"${name}" is not a variable of ${module.path}`,
    });
  }
  return findings;
}
