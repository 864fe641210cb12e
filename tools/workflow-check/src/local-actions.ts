// The metadata of the repository's own actions (`uses: ./actions/<name>` and the composite
// helpers under .github/actions): which inputs exist and which a caller must give.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { isMapping } from './model.ts';

export interface ActionInput {
  /** `required: true` and no default: a caller that omits it fails at run time. */
  mustBeGiven: boolean;
}

export interface LocalActionMetadata {
  /** Path of the action.yml relative to the repository root. */
  file: string;
  inputs: Map<string, ActionInput>;
  /** `runs.using`: node24, composite, docker, ... (undefined when missing). */
  using?: string;
}

export type LocalActionReader = (uses: string) => LocalActionMetadata | undefined;

/** `./actions/deploy` -> `actions/deploy`; undefined for anything that is not a local path. */
export function localActionDir(uses: string): string | undefined {
  if (!uses.startsWith('./')) return undefined;
  return path.posix.normalize(uses.slice(2)).replace(/\/$/, '');
}

export function parseActionMetadata(file: string, source: string): LocalActionMetadata {
  const data: unknown = parse(source);
  const inputs = new Map<string, ActionInput>();
  const declared = isMapping(data) && isMapping(data.inputs) ? data.inputs : {};
  for (const [name, spec] of Object.entries(declared)) {
    const required = isMapping(spec) && (spec.required === true || spec.required === 'true');
    const hasDefault = isMapping(spec) && spec.default !== undefined && spec.default !== null;
    inputs.set(name, { mustBeGiven: required && !hasDefault });
  }
  const runs = isMapping(data) && isMapping(data.runs) ? data.runs : {};
  const using = typeof runs.using === 'string' ? runs.using : undefined;
  return { file, inputs, using };
}

/** Reads `<root>/<dir>/action.yml` (or .yaml) for a local `uses:`; undefined when absent. */
export function createLocalActionReader(root: string): LocalActionReader {
  const cache = new Map<string, LocalActionMetadata | undefined>();
  return (uses) => {
    const dir = localActionDir(uses);
    if (dir === undefined) return undefined;
    if (!cache.has(dir)) {
      const candidates = ['action.yml', 'action.yaml'].map((name) => `${dir}/${name}`);
      const found = candidates.find((file) => existsSync(path.join(root, file)));
      cache.set(
        dir,
        found === undefined
          ? undefined
          : parseActionMetadata(found, readFileSync(path.join(root, found), 'utf8')),
      );
    }
    return cache.get(dir);
  };
}
