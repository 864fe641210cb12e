// Proves what can be proved about the service images without a Docker engine: the Dockerfile's
// stages, run for real by the dry run (npm ci included), yield a runtime folder from which the
// service starts, answers its health checks, and stops cleanly on SIGTERM; and the runtime
// stage is Node 24, non-root, with only production dependencies.
import { mkdtempSync, rmSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dryRunDockerfile,
  DockerfileError,
  type StageResult,
} from '../../tools/docker-dry-run/dry-run.ts';
import {
  startEmulators,
  type Emulators,
  provisionLocalResources,
  type LocalResources,
  freePort,
  startNodeProcess,
  waitForHttp,
  apiEnv,
  workerEnv,
} from '@notify/local-stack';

const root = process.cwd();
const services = [
  { name: 'notification-api', port: 3000 },
  { name: 'email-sender', port: 3001 },
] as const;

let emulators: Emulators;
let resources: LocalResources;
const outDirs: string[] = [];

beforeAll(async () => {
  emulators = await startEmulators({
    sqs: await freePort(),
    ses: await freePort(),
    dynamodb: await freePort(),
  });
  resources = await provisionLocalResources({
    prefix: 'notify-image',
    endpoints: {
      sqs: emulators.env.AWS_ENDPOINT_URL_SQS,
      dynamodb: emulators.env.AWS_ENDPOINT_URL_DYNAMODB,
    },
  });
}, 60_000);

afterAll(async () => {
  await emulators?.stop();
  for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
});

function build(service: string): StageResult[] {
  const outDir = mkdtempSync(join(tmpdir(), `image-${service}-`));
  outDirs.push(outDir);
  return dryRunDockerfile({
    dockerfile: join(root, 'services', 'Dockerfile'),
    context: root,
    outDir,
    buildArgs: { SERVICE: service, PORT: String(services.find((s) => s.name === service)!.port) },
    // CI has just installed the same lockfile, so the cache serves it.
    runEnv: { npm_config_prefer_offline: 'true' },
  });
}

describe.each(services)('$name image', ({ name, port }) => {
  let runtime: StageResult;

  beforeAll(() => {
    const stages = build(name);
    runtime = stages[stages.length - 1]!;
  }, 120_000);

  it('runs on Node 24 as a non-root user with a health check on /healthz', () => {
    expect(runtime.baseImage).toMatch(/^node:24[.-]/);
    expect(runtime.user).toBe('node');
    expect(runtime.exposed).toEqual([port]);
    expect(runtime.env.HEALTH_PORT).toBe(String(port));
    expect(runtime.healthcheck?.join(' ')).toContain('process.env.HEALTH_PORT');
    expect(runtime.workdir).toBe(`/app/services/${name}`);
    expect(runtime.cmd).toEqual(['node', 'src/main.ts']);
  });

  it('holds the entry point and only production dependencies', () => {
    const app = join(runtime.rootfs, '/app');
    expect(existsSync(join(app, `services/${name}/src/main.ts`))).toBe(true);
    expect(existsSync(join(app, 'node_modules/@notify/shared/src/index.ts'))).toBe(true);
    for (const devOnly of ['jest', 'typescript', '@swc/core', 'eslint', 'fauxqs']) {
      expect(existsSync(join(app, 'node_modules', devOnly))).toBe(false);
    }
    const sources = readdirSync(join(app, `services/${name}`));
    expect(sources).not.toContain('test');
    const other = services.find((s) => s.name !== name)!.name;
    expect(existsSync(join(app, `services/${other}/src`))).toBe(false);
  });

  it('starts from the runtime folder, answers /healthz and /readyz, and exits 0 on SIGTERM', async () => {
    const servicePort = await freePort();
    const env =
      name === 'notification-api'
        ? { ...apiEnv(emulators.env, resources, servicePort) }
        : { ...workerEnv(emulators.env, resources, servicePort), WAIT_TIME_SECONDS: '1' };
    const [, entry] = runtime.cmd!;
    const proc = startNodeProcess({
      name,
      args: [entry!],
      cwd: join(runtime.rootfs, runtime.workdir),
      env: { ...runtime.env, ...env },
    });
    try {
      await waitForHttp(`http://127.0.0.1:${servicePort}/healthz`, 200, 20_000);
      await waitForHttp(`http://127.0.0.1:${servicePort}/readyz`, 200, 20_000);
    } catch (error) {
      throw new Error(`${String(error)}\n--- ${name} output ---\n${proc.output()}`);
    } finally {
      const code = await proc.stop('SIGTERM', 15_000);
      expect(code).toBe(0);
    }
  }, 60_000);
});

describe('one Dockerfile for every service', () => {
  it('refuses a build without the SERVICE build-arg, saying what to pass', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'image-no-service-'));
    outDirs.push(outDir);
    expect(() =>
      dryRunDockerfile({
        dockerfile: join(root, 'services', 'Dockerfile'),
        context: root,
        outDir,
        runEnv: { npm_config_prefer_offline: 'true' },
      }),
    ).toThrow(/--build-arg SERVICE=<a folder under services\/>/);
  });
});

describe('dry run', () => {
  it('rejects a COPY of something .dockerignore excludes', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'image-bad-'));
    outDirs.push(outDir);
    const dockerfile = join(outDir, 'Dockerfile');
    writeFileSync(dockerfile, 'FROM node:24-slim\nCOPY terraform/ /t/\n');
    expect(() => dryRunDockerfile({ dockerfile, context: root, outDir })).toThrow(DockerfileError);
    expect(() => dryRunDockerfile({ dockerfile, context: root, outDir })).toThrow(
      /excluded by \.dockerignore/,
    );
  });
});
