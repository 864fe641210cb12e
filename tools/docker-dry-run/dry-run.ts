// Dockerfile dry run: there is no Docker engine on our machines, so this interprets the subset
// of Dockerfile instructions our images use (ARG, FROM, WORKDIR, COPY [--from], RUN, ENV, USER,
// EXPOSE, HEALTHCHECK, CMD) into plain folders, one per stage. COPY honours .dockerignore with
// Docker's own matching rules, so a file the runtime stage needs but the context excludes is
// caught here, and RUN really runs (npm ci), so the runtime folder is what the image would hold.
// ARG follows Docker's scoping: an ARG before the first FROM is visible to FROM lines only; a
// stage sees an ARG only after declaring it (inheriting the global default), and variables are
// expanded in the instructions Docker expands them in (FROM, COPY, ENV, EXPOSE, USER, WORKDIR),
// never in RUN, CMD or HEALTHCHECK, which see them, if at all, as environment at run time.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { DockerfileParser, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import dockerignore from '@balena/dockerignore';

export interface StageResult {
  name: string;
  baseImage: string;
  /** Folder standing for the stage's root filesystem. */
  rootfs: string;
  workdir: string;
  env: Record<string, string>;
  user?: string;
  exposed: number[];
  healthcheck?: string[];
  cmd?: string[];
}

export interface DryRunOptions {
  dockerfile: string;
  context: string;
  outDir: string;
  /** Extra environment for RUN steps (e.g. npm_config_prefer_offline). */
  runEnv?: NodeJS.ProcessEnv;
  /** --build-arg values. One that no ARG declares is an error (Docker only warns). */
  buildArgs?: Record<string, string>;
}

export class DockerfileError extends Error {
  override name = 'DockerfileError';
}

/** Docker's variable expansion: $NAME, ${NAME}, ${NAME:-default}, ${NAME:+word}; unset is ''. */
export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(
    /\$\{(\w+)(?::([-+])([^}]*))?\}|\$(\w+)/g,
    (_, braced: string | undefined, op: string | undefined, word: string, bare: string) => {
      const value = vars[braced ?? bare];
      if (op === '-') return value ? value : word;
      if (op === '+') return value ? word : '';
      return value ?? '';
    },
  );
}

function jsonOrShell(instruction: Instruction): string[] {
  const json = (instruction as JSONInstruction).getJSONStrings?.() ?? [];
  if (json.length > 0) return json.map((s) => s.getJSONValue());
  return ['/bin/sh', '-c', instruction.getArgumentsContent() ?? ''];
}

function flagsOf(instruction: Instruction): Record<string, string> {
  const withFlags = instruction as Instruction & {
    getFlags?: () => { getName(): string; getValue(): string | null }[];
  };
  return Object.fromEntries(
    (withFlags.getFlags?.() ?? []).map((f) => [f.getName(), f.getValue() ?? '']),
  );
}

/** Lists the context files under `source` (a file or folder) that .dockerignore lets through. */
function contextFiles(context: string, source: string, ignored: (p: string) => boolean): string[] {
  const abs = join(context, source);
  if (!existsSync(abs))
    throw new DockerfileError(`COPY source "${source}" does not exist in the context`);
  const rel = relative(context, abs).split('\\').join('/');
  if (ignored(rel))
    throw new DockerfileError(`COPY source "${source}" is excluded by .dockerignore`);
  if (!statSync(abs).isDirectory()) return [rel];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(context, dir), { withFileTypes: true })) {
      const path = posix.join(dir, entry.name);
      if (ignored(path)) continue;
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(rel);
  return files;
}

export function dryRunDockerfile(options: DryRunOptions): StageResult[] {
  const text = readFileSync(options.dockerfile, 'utf8');
  const ignoreFile = join(options.context, '.dockerignore');
  // The package is CommonJS with a `default` alias; `.default` resolves the same under ESM and Jest.
  const matcher = dockerignore
    .default({ ignorecase: false })
    .add(existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8').split('\n') : []);
  const ignored = (p: string) => matcher.ignores(p);

  const buildArgs = options.buildArgs ?? {};
  const declared = new Set<string>();
  /** ARGs declared before the first FROM, with their values. */
  const globalArgs: Record<string, string> = {};
  /** ARGs the current stage declared. */
  let stageArgs: Record<string, string> = {};
  const stages: StageResult[] = [];
  let stage: StageResult | undefined;
  const expand = (text: string) => substitute(text, { ...stageArgs, ...(stage?.env ?? {}) });
  const inStage = (path: string, s: StageResult) =>
    join(s.rootfs, posix.isAbsolute(path) ? path : posix.join(s.workdir, path));

  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    const values = instruction.getArguments().map((a) => a.getValue());
    if (keyword === 'ARG') {
      const [name, ...rest] = (values[0] ?? '').split('=');
      if (!name) continue;
      declared.add(name);
      const fallback = rest.length > 0 ? rest.join('=') : stage ? globalArgs[name] : undefined;
      const value =
        buildArgs[name] ??
        (fallback === undefined ? undefined : substitute(fallback, stage ? stageArgs : globalArgs));
      if (stage) stageArgs[name] = value ?? '';
      else globalArgs[name] = value ?? '';
      continue;
    }
    if (keyword === 'FROM') {
      const name = values[2] ?? String(stages.length);
      stageArgs = {};
      stage = {
        name,
        baseImage: substitute(values[0] ?? '', globalArgs),
        rootfs: join(options.outDir, `stage-${stages.length}-${name}`),
        workdir: '/',
        env: {},
        exposed: [],
      };
      mkdirSync(stage.rootfs, { recursive: true });
      stages.push(stage);
      continue;
    }
    if (!stage) throw new DockerfileError(`${keyword} before FROM`);
    switch (keyword) {
      case 'WORKDIR':
        stage.workdir = posix.resolve(stage.workdir, expand(values[0] ?? '/'));
        mkdirSync(join(stage.rootfs, stage.workdir), { recursive: true });
        break;
      case 'ENV':
        for (const pair of values) {
          const [k, ...v] = pair.split('=');
          if (k) stage.env[k] = expand(v.join('='));
        }
        break;
      case 'USER':
        stage.user = expand(values[0] ?? '');
        break;
      case 'EXPOSE':
        for (const value of values.map(expand)) {
          const port = Number.parseInt(value, 10);
          if (!Number.isInteger(port)) throw new DockerfileError(`EXPOSE "${value}" is not a port`);
          stage.exposed.push(port);
        }
        break;
      case 'HEALTHCHECK':
        // HEALTHCHECK [flags] CMD ["exec", "form"]: parse the JSON after CMD.
        stage.healthcheck = JSON.parse(
          (instruction.getArgumentsContent() ?? '').replace(/^[\s\S]*?\bCMD\s+/, ''),
        ) as string[];
        break;
      case 'CMD':
        stage.cmd = jsonOrShell(instruction);
        break;
      case 'COPY': {
        const fromFlag = flagsOf(instruction).from;
        const from = fromFlag === undefined ? undefined : expand(fromFlag);
        const expanded = values.filter((v) => !v.startsWith('--')).map(expand);
        const sources = expanded.slice(0, -1);
        const dest = expanded[expanded.length - 1] ?? '.';
        const destIsDir = dest.endsWith('/') || sources.length > 1;
        const destAbs = inStage(dest, stage);
        for (const source of sources) {
          if (from !== undefined) {
            const origin = stages.find((s) => s.name === from);
            if (!origin) throw new DockerfileError(`COPY --from=${from}: no such stage`);
            const src = inStage(source, origin);
            if (!existsSync(src)) {
              throw new DockerfileError(`COPY --from=${from} "${source}": not in that stage`);
            }
            cpSync(src, destAbs, { recursive: true, verbatimSymlinks: true });
            continue;
          }
          const base = join(options.context, source);
          const isDir = existsSync(base) && statSync(base).isDirectory();
          for (const file of contextFiles(options.context, source, ignored)) {
            const rel = isDir ? relative(base, join(options.context, file)) : posix.basename(file);
            const target = isDir || destIsDir ? join(destAbs, rel) : destAbs;
            mkdirSync(dirname(target), { recursive: true });
            cpSync(join(options.context, file), target);
          }
        }
        break;
      }
      case 'RUN': {
        const [command, ...rest] = jsonOrShell(instruction);
        const result = spawnSync(command ?? '/bin/sh', rest, {
          cwd: join(stage.rootfs, stage.workdir),
          // A RUN sees the stage's ARGs and ENVs as environment variables, as in Docker.
          env: { ...process.env, ...options.runEnv, ...stageArgs, ...stage.env },
          encoding: 'utf8',
        });
        if (result.status !== 0) {
          throw new DockerfileError(
            `RUN ${rest.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
          );
        }
        break;
      }
      default:
        throw new DockerfileError(`instruction ${keyword} is not supported by the dry run`);
    }
  }
  const unused = Object.keys(buildArgs).filter((name) => !declared.has(name));
  if (unused.length > 0) {
    throw new DockerfileError(`build-arg(s) ${unused.join(', ')} not declared by any ARG`);
  }
  return stages;
}
