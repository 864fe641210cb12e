// Public surface of the package, for tests and tooling (benchmarks, local stack).
export { createApp, type AppDeps } from './app.ts';
export { readApiConfig, configSchema, type ApiConfig } from './config.ts';
export { startApiServer, type RunningApi } from './server.ts';
export { DEV_TOKEN } from './auth.ts';
