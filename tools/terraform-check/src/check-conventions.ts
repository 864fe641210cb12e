// Module conventions: typed and described variables, described outputs, and a versions.tf
// pinning Terraform and the AWS provider to a range that includes the snapshot's version.
import type { Finding } from './findings.ts';
import { blockList, isHclObject } from './hcl-files.ts';
import type { TerraformModule } from './module-model.ts';
import { satisfies } from './version-constraint.ts';

export function checkConventions(module: TerraformModule, providerVersion: string): Finding[] {
  const findings: Finding[] = [];
  for (const variable of module.variables) {
    for (const field of ['type', 'description'] as const) {
      const value = variable.body[field];
      if (value === undefined || value === '') {
        findings.push({
          file: variable.file.path,
          line: variable.range?.start,
          check: 'conventions',
          message: `variable "${variable.name}" needs a ${field}`,
        });
      }
    }
  }
  for (const output of module.outputs) {
    if (!('value' in output.body)) {
      findings.push({
        file: output.file.path,
        line: output.range?.start,
        check: 'conventions',
        message: `output "${output.name}" needs a value`,
      });
    }
    if (typeof output.body.description !== 'string' || output.body.description.trim() === '') {
      findings.push({
        file: output.file.path,
        line: output.range?.start,
        check: 'conventions',
        message: `output "${output.name}" needs a description`,
      });
    }
  }
  findings.push(...checkDuplicates(module));
  findings.push(...checkVersions(module, providerVersion));
  return findings;
}

/** Files are written in parallel by different people; Terraform rejects any name declared twice. */
function checkDuplicates(module: TerraformModule): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  const entries = [
    ...[
      ...module.resources,
      ...module.dataSources,
      ...module.variables,
      ...module.outputs,
      ...module.moduleCalls,
    ].map((d) => ({
      key: `${d.kind === 'resource' ? '' : `${d.kind}.`}${d.type ? `${d.type}.` : ''}${d.name}`,
      file: d.file,
      line: d.range?.start,
    })),
    ...module.locals.map((l) => ({ key: `local.${l.name}`, file: l.file, line: l.range?.start })),
  ];
  for (const entry of entries) {
    const first = seen.get(entry.key);
    if (first === undefined) {
      seen.set(entry.key, `${entry.file.path}${entry.line === undefined ? '' : `:${entry.line}`}`);
      continue;
    }
    findings.push({
      file: entry.file.path,
      line: entry.line,
      check: 'conventions',
      message: `${entry.key} is declared twice (first at ${first})`,
    });
  }
  return findings;
}

function checkVersions(module: TerraformModule, providerVersion: string): Finding[] {
  const versionsFile = `${module.path}/versions.tf`;
  const report = (message: string): Finding => ({ file: versionsFile, check: 'versions', message });
  const terraform = module.terraformBlocks.filter((block) => block.file.path === versionsFile);
  if (!module.files.some((file) => file.path === versionsFile)) {
    return [
      report('missing: every module and root pins Terraform and the AWS provider in versions.tf'),
    ];
  }
  const findings: Finding[] = [];
  const requiredVersion = terraform
    .map((t) => t.body.required_version)
    .find((v) => v !== undefined);
  if (typeof requiredVersion !== 'string')
    findings.push(report('terraform { required_version } is not set'));
  const aws = terraform
    .flatMap((t) => blockList(t.body.required_providers))
    .map((providers) => providers.aws)
    .find((value) => value !== undefined);
  if (!isHclObject(aws)) {
    findings.push(report('required_providers has no `aws = { source, version }` entry'));
    return findings;
  }
  if (aws.source !== 'hashicorp/aws')
    findings.push(report('required_providers.aws.source must be "hashicorp/aws"'));
  if (typeof aws.version !== 'string') {
    findings.push(report('required_providers.aws.version is not pinned'));
  } else {
    try {
      if (!satisfies(providerVersion, aws.version)) {
        findings.push(
          report(
            `required_providers.aws.version "${aws.version}" excludes ${providerVersion}, the provider ` +
              'version the schema snapshot (and these checks) come from',
          ),
        );
      }
    } catch (error) {
      findings.push(report(`required_providers.aws.version: ${(error as Error).message}`));
    }
  }
  return findings;
}
