// `npm run terraform:schema [-- --package-version 25.7.0] [-- --jsii path/to/.jsii]`
// Fetches @cdktn/provider-aws with `npm pack` into a temporary folder, reads its jsii assembly
// (~150 MB JSON, hence the larger heap in the npm script) and writes the compact snapshot
// terraform/schema/aws-provider-schema.json that the offline checks read.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  listTerraformDirectories,
  labelledBlocks,
  parseTfFile,
} from '../terraform-check/src/hcl-files.ts';
import type { BlockSchema, ProviderSchemaSnapshot } from '../terraform-check/src/schema.ts';
import { extractProviderTypes, type JsiiType } from './jsii-schema.ts';
import { LIKELY_TYPE_PATTERNS, typeSelector } from './selection.ts';

const PACKAGE = '@cdktn/provider-aws';
// 25.7.0 is generated from hashicorp/aws 6.66.0, the newest 6.x release in the registry; CI's
// `terraform init` resolves `>= 6.21, < 7.0` to the newest 6.x too, so this schema is the closest.
const DEFAULT_PACKAGE_VERSION = '25.7.0';

const repoRoot = join(import.meta.dirname, '..', '..');
const terraformRoot = join(repoRoot, 'terraform');
const outputPath = join(terraformRoot, 'schema', 'aws-provider-schema.json');

const { values } = parseArgs({
  options: {
    'package-version': { type: 'string', default: DEFAULT_PACKAGE_VERSION },
    jsii: { type: 'string' },
  },
});

const used = await collectUsedTypes();
const workDir = mkdtempSync(join(tmpdir(), 'provider-aws-'));
try {
  const jsiiPath =
    values.jsii ?? fetchAssembly(values['package-version'] ?? DEFAULT_PACKAGE_VERSION, workDir);
  console.log(`reading ${jsiiPath}`);
  const assembly = JSON.parse(readFileSync(jsiiPath, 'utf8')) as {
    name: string;
    version: string;
    types: Record<string, JsiiType>;
  };
  const extracted = extractProviderTypes(assembly.types, typeSelector(LIKELY_TYPE_PATTERNS, used));
  const missing = [
    ...[...used.resources].filter((name) => !extracted.resources.has(name)),
    ...[...used.dataSources]
      .filter((name) => !extracted.dataSources.has(name))
      .map((n) => `data.${n}`),
  ];
  const snapshot: ProviderSchemaSnapshot = {
    provider: 'registry.terraform.io/hashicorp/aws',
    providerVersion: extracted.providerVersion,
    source: `${assembly.name}@${assembly.version}`,
    resources: sortedRecord(extracted.resources),
    dataSources: sortedRecord(extracted.dataSources),
  };
  writeFileSync(outputPath, serialize(snapshot));
  console.log(
    `wrote ${outputPath}: provider ${snapshot.providerVersion} from ${snapshot.source}, ` +
      `${extracted.resources.size} resources, ${extracted.dataSources.size} data sources`,
  );
  if (missing.length > 0) {
    console.error(`not in provider ${snapshot.providerVersion} (typo?): ${missing.join(', ')}`);
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

function fetchAssembly(version: string, dir: string): string {
  console.log(`npm pack ${PACKAGE}@${version} (about 40 MB)`);
  execFileSync('npm', ['pack', `${PACKAGE}@${version}`, '--pack-destination', dir, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir, 'package/.jsii']);
  return join(dir, 'package', '.jsii');
}

async function collectUsedTypes(): Promise<{ resources: Set<string>; dataSources: Set<string> }> {
  const resources = new Set<string>();
  const dataSources = new Set<string>();
  for (const files of listTerraformDirectories(terraformRoot).values()) {
    for (const path of files) {
      const { file } = await parseTfFile(path, repoRoot);
      if (!file) continue; // a file that does not parse is reported by `npm run terraform:check`
      for (const { type } of labelledBlocks(file.body.resource)) resources.add(type);
      for (const { type } of labelledBlocks(file.body.data)) dataSources.add(type);
    }
  }
  return { resources, dataSources };
}

function sortedRecord(map: Map<string, BlockSchema>): Record<string, BlockSchema> {
  return Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** Compact JSON with one provider type per line, so refreshes give readable diffs. */
function serialize(snapshot: ProviderSchemaSnapshot): string {
  const section = (record: Record<string, BlockSchema>): string =>
    Object.entries(record)
      .map(([name, schema]) => `    ${JSON.stringify(name)}: ${JSON.stringify(schema)}`)
      .join(',\n');
  return [
    '{',
    `  "provider": ${JSON.stringify(snapshot.provider)},`,
    `  "providerVersion": ${JSON.stringify(snapshot.providerVersion)},`,
    `  "source": ${JSON.stringify(snapshot.source)},`,
    '  "resources": {',
    section(snapshot.resources),
    '  },',
    '  "dataSources": {',
    section(snapshot.dataSources),
    '  }',
    '}',
    '',
  ].join('\n');
}
