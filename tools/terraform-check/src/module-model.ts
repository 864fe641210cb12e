// Everything declared in one Terraform module directory (its .tf files merged), with the file
// each declaration came from, so checks can resolve references and report positions.
import type { TfFile, HclObject } from './hcl-files.ts';
import { blockList, labelledBlocks, namedBlocks } from './hcl-files.ts';
import type { LineRange } from './source-map.ts';

export interface Declaration {
  kind: 'resource' | 'data' | 'variable' | 'output' | 'module' | 'provider';
  /** Resource/data type; empty for the others. */
  type: string;
  name: string;
  body: HclObject;
  file: TfFile;
  range?: LineRange;
}

export interface LocalValue {
  name: string;
  value: HclObject[string];
  file: TfFile;
  range?: LineRange;
}

export interface TerraformModule {
  dir: string;
  /** Display path of the directory, e.g. `terraform/modules/ecr`. */
  path: string;
  files: TfFile[];
  resources: Declaration[];
  dataSources: Declaration[];
  variables: Declaration[];
  outputs: Declaration[];
  moduleCalls: Declaration[];
  providers: Declaration[];
  locals: LocalValue[];
  terraformBlocks: { body: HclObject; file: TfFile }[];
}

export function buildModule(dir: string, path: string, files: TfFile[]): TerraformModule {
  const module: TerraformModule = {
    dir,
    path,
    files,
    resources: [],
    dataSources: [],
    variables: [],
    outputs: [],
    moduleCalls: [],
    providers: [],
    locals: [],
    terraformBlocks: [],
  };
  for (const file of files) {
    const { body, source } = file;
    for (const { type, name, body: b } of labelledBlocks(body.resource)) {
      const range = source.findBlock('resource', [type, name]);
      module.resources.push({ kind: 'resource', type, name, body: b, file, range });
    }
    for (const { type, name, body: b } of labelledBlocks(body.data)) {
      const range = source.findBlock('data', [type, name]);
      module.dataSources.push({ kind: 'data', type, name, body: b, file, range });
    }
    const simple = [
      ['variable', module.variables],
      ['output', module.outputs],
      ['module', module.moduleCalls],
      ['provider', module.providers],
    ] as const;
    for (const [kind, list] of simple) {
      for (const { name, body: b } of namedBlocks(body[kind])) {
        list.push({ kind, type: '', name, body: b, file, range: source.findBlock(kind, [name]) });
      }
    }
    const localsRanges = source.blocks.filter((block) => block.keyword === 'locals');
    for (const locals of blockList(body.locals)) {
      for (const [name, value] of Object.entries(locals)) {
        const range = localsRanges
          .map((block) => source.locate(block, [{ name }]))
          .find((found) => found !== undefined);
        module.locals.push({ name, value, file, range });
      }
    }
    for (const terraform of blockList(body.terraform)) {
      module.terraformBlocks.push({ body: terraform, file });
    }
  }
  return module;
}
