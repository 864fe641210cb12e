// Entry point: `node services/notification-api/src/main.ts`. Reads configuration (refusing to
// start on a bad one), starts the server and drains on SIGTERM/SIGINT within
// SHUTDOWN_TIMEOUT_MS (ECS sends SIGTERM, then SIGKILL after its stop timeout).
import { ConfigError, createLogger } from '@notify/shared';
import { readApiConfig } from './config.ts';
import { startApiServer } from './server.ts';

let config;
try {
  config = readApiConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`notification-api: refusing to start: ${error.message}`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger({ service: 'notification-api', level: config.logLevel });
const api = await startApiServer(config, logger);
logger.info(
  { url: api.url, clients: config.clients.map((c) => c.name), environment: config.environment },
  'notification-api listening',
);

let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: draining in-flight requests');
  const deadline = setTimeout(() => {
    logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs);
  deadline.unref();
  api.shutdown().then(
    () => {
      logger.info('shutdown complete');
      process.exit(0);
    },
    (error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
