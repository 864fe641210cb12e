// Finds and parses .tf files with HashiCorp's HCL parser (@cdktf/hcl2json, WebAssembly).
// Its JSON keeps blocks as arrays of objects and expressions as `${...}` strings.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import type { Finding } from './findings.ts';
import { SourceMap } from './source-map.ts';

export type HclValue = string | number | boolean | null | HclValue[] | HclObject;
export interface HclObject {
  [key: string]: HclValue;
}

export interface TfFile {
  /** Display path, relative to the directory that holds the checked root. */
  path: string;
  /** Directory (absolute) of the module the file belongs to. */
  dir: string;
  text: string;
  body: HclObject;
  source: SourceMap;
}

const SKIPPED_DIRECTORIES = new Set(['.terraform', 'node_modules']);

/** Every directory under `root` (inclusive) that holds at least one .tf file, with its files. */
export function listTerraformDirectories(root: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const files = entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.tf'))
      .map((entry) => join(dir, entry.name));
    if (files.length > 0) result.set(dir, files);
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) walk(join(dir, entry.name));
    }
  };
  walk(root);
  return result;
}

/** Every `*.tfvars` file under `root` (variable values passed with -var-file). */
export function listTfvarsFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.tfvars')) found.push(path);
    }
  };
  walk(root);
  return found.sort();
}

export interface ParseResult {
  file?: TfFile;
  error?: Finding;
}

/** Parses one file; a syntax error becomes a finding with the parser's line and column. */
export async function parseTfFile(absolutePath: string, displayBase: string): Promise<ParseResult> {
  const path = relative(displayBase, absolutePath);
  const text = readFileSync(absolutePath, 'utf8');
  try {
    const body = (await parse(path, text)) as HclObject;
    return {
      file: { path, dir: join(absolutePath, '..'), text, body, source: new SourceMap(text) },
    };
  } catch (error) {
    return {
      error: syntaxErrorFinding(path, error instanceof Error ? error.message : String(error)),
    };
  }
}

function syntaxErrorFinding(path: string, message: string): Finding {
  // e.g. "parse config: [main.tf:3,1-2: Invalid expression; Expected the start of ...]"
  const position = /:(\d+),(\d+)(?:-\d+)?: ([^\]]*)/.exec(message);
  if (!position) return { file: path, check: 'syntax', message: `does not parse: ${message}` };
  return {
    file: path,
    line: Number(position[1]),
    column: Number(position[2]),
    check: 'syntax',
    message: `syntax error: ${position[3].trim()}`,
  };
}

export function isHclObject(value: HclValue | undefined): value is HclObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A block written `name { ... }` appears as an array of objects. */
export function blockList(value: HclValue | undefined): HclObject[] {
  if (Array.isArray(value)) return value.filter(isHclObject);
  return [];
}

/** `resource "type" "name" {}` -> [{type, name, body}] (also for data sources). */
export function labelledBlocks(
  value: HclValue | undefined,
): { type: string; name: string; body: HclObject }[] {
  const out: { type: string; name: string; body: HclObject }[] = [];
  if (!isHclObject(value)) return out;
  for (const [type, byName] of Object.entries(value)) {
    if (!isHclObject(byName)) continue;
    for (const [name, bodies] of Object.entries(byName)) {
      for (const body of blockList(bodies)) out.push({ type, name, body });
    }
  }
  return out;
}

/** `variable "name" {}` -> [{name, body}] (also output, module, provider). */
export function namedBlocks(value: HclValue | undefined): { name: string; body: HclObject }[] {
  const out: { name: string; body: HclObject }[] = [];
  if (!isHclObject(value)) return out;
  for (const [name, bodies] of Object.entries(value)) {
    for (const body of blockList(bodies)) out.push({ name, body });
  }
  return out;
}

export function relativeDir(base: string, dir: string): string {
  return relative(base, dir) || '.';
}
