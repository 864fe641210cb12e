// The dry run must be at least as strict as Docker about what an instruction can see: these
// Dockerfiles use no RUN, so they run in-process.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dryRunDockerfile, substitute } from '../dry-run.ts';

let context: string;

beforeEach(() => {
  context = mkdtempSync(join(tmpdir(), 'dry-run-'));
  mkdirSync(join(context, 'services', 'api'), { recursive: true });
  writeFileSync(join(context, 'services', 'api', 'main.ts'), 'export {};\n');
});

afterEach(() => rmSync(context, { recursive: true, force: true }));

function dryRun(dockerfile: string, buildArgs?: Record<string, string>) {
  writeFileSync(join(context, 'Dockerfile'), dockerfile);
  const outDir = join(context, 'out');
  return dryRunDockerfile({ dockerfile: join(context, 'Dockerfile'), context, outDir, buildArgs });
}

describe('Docker variable expansion', () => {
  it.each([
    ['$A/${B}', { A: 'x', B: 'y' }, 'x/y'],
    ['${MISSING}-', {}, '-'],
    ['${A:-fallback}', {}, 'fallback'],
    ['${A:-fallback}', { A: 'set' }, 'set'],
    ['${A:+word}', { A: 'set' }, 'word'],
    ['${A:+word}', {}, ''],
  ])('%s with %j is %s', (text, vars, expected) => {
    expect(substitute(text, vars)).toBe(expected);
  });
});

describe('ARG scoping', () => {
  it('a global ARG reaches FROM but not a stage that does not declare it', () => {
    const [stage] = dryRun(
      'ARG IMAGE=node:24-slim\nARG DIR=/app\nFROM ${IMAGE}\nWORKDIR ${DIR:-/none}\n',
    );
    expect(stage!.baseImage).toBe('node:24-slim');
    expect(stage!.workdir).toBe('/none');
  });

  it('a stage that declares a global ARG inherits its default, and a build-arg wins', () => {
    const file = 'ARG DIR=/app\nFROM node:24-slim\nARG DIR\nWORKDIR ${DIR}\n';
    expect(dryRun(file)[0]!.workdir).toBe('/app');
    expect(dryRun(file, { DIR: '/srv' })[0]!.workdir).toBe('/srv');
  });

  it('each stage starts without the previous stage ARGs', () => {
    const stages = dryRun(
      'FROM node:24-slim AS one\nARG NAME=api\nWORKDIR /$NAME\nFROM node:24-slim AS two\nWORKDIR /x$NAME\n',
    );
    expect(stages.map((s) => s.workdir)).toEqual(['/api', '/x']);
  });

  it('expands ARG and ENV in COPY, ENV and EXPOSE, not in CMD', () => {
    const [stage] = dryRun(
      'FROM node:24-slim\nARG SERVICE\nARG PORT\nENV HEALTH_PORT=${PORT}\nWORKDIR /app\n' +
        'COPY services/${SERVICE}/main.ts services/${SERVICE}/\nEXPOSE ${PORT}\nCMD ["echo", "$PORT"]\n',
      { SERVICE: 'api', PORT: '3000' },
    );
    expect(stage!.env.HEALTH_PORT).toBe('3000');
    expect(stage!.exposed).toEqual([3000]);
    expect(stage!.cmd).toEqual(['echo', '$PORT']);
    expect(() =>
      dryRun('FROM node:24-slim\nARG SERVICE\nCOPY services/${SERVICE}/main.ts /x/\n'),
    ).toThrow(/COPY source "services\/\/main.ts" does not exist/);
  });

  it('refuses a build-arg that no ARG declares (Docker only warns)', () => {
    expect(() => dryRun('FROM node:24-slim\n', { SERVCE: 'api' })).toThrow(
      /build-arg\(s\) SERVCE not declared/,
    );
  });

  it('refuses an EXPOSE that expands to no port', () => {
    expect(() => dryRun('FROM node:24-slim\nARG PORT\nEXPOSE ${PORT}\n')).toThrow(
      /EXPOSE "" is not a port/,
    );
  });
});
