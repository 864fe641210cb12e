// Reads the repository's GitHub automation files: workflows under .github/workflows and the
// composite helpers under .github/actions. Each file keeps its source text and YAML document
// so that findings can point at a line, and its plain data for the rules to read.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';

export type AutomationKind = 'workflow' | 'composite-action';

export interface AutomationFile {
  kind: AutomationKind;
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  source: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  data: Record<string, unknown>;
}

export class WorkflowParseError extends Error {
  constructor(file: string, detail: string) {
    super(`${file}: not valid YAML: ${detail}`);
    this.name = 'WorkflowParseError';
  }
}

export function parseAutomationFile(
  kind: AutomationKind,
  relativePath: string,
  source: string,
): AutomationFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new WorkflowParseError(relativePath, document.errors.map((e) => e.message).join('; '));
  }
  const data: unknown = document.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new WorkflowParseError(relativePath, 'the top level must be a mapping');
  }
  return {
    kind,
    path: relativePath,
    source,
    document,
    lineCounter,
    data: data as Record<string, unknown>,
  };
}

function yamlFilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yml') || name.endsWith('.yaml'))
    .sort();
}

/** Every workflow and every composite action under `<root>/.github`. */
export function loadAutomationFiles(root: string): AutomationFile[] {
  const files: AutomationFile[] = [];
  const workflowsDir = path.join(root, '.github', 'workflows');
  for (const name of yamlFilesIn(workflowsDir)) {
    const relative = `.github/workflows/${name}`;
    files.push(
      parseAutomationFile('workflow', relative, readFileSync(path.join(root, relative), 'utf8')),
    );
  }
  const compositesDir = path.join(root, '.github', 'actions');
  if (existsSync(compositesDir)) {
    for (const name of readdirSync(compositesDir).sort()) {
      for (const file of ['action.yml', 'action.yaml']) {
        const relative = `.github/actions/${name}/${file}`;
        if (existsSync(path.join(root, relative))) {
          files.push(
            parseAutomationFile(
              'composite-action',
              relative,
              readFileSync(path.join(root, relative), 'utf8'),
            ),
          );
        }
      }
    }
  }
  return files;
}
