// The relations between the API's timeouts, read from the real defaults (config.ts) and the
// real Terraform values: each dependency deadline is shorter than what depends on it. The
// README's "Timeouts" section explains each number.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readApiConfig } from '../src/config.ts';
import { apiDeadlines, LEASE_CLOCK_MARGIN_MS, READINESS_TIMEOUT_MS } from '../src/deadlines.ts';

const root = join(__dirname, '..', '..', '..');
const terraform = (file: string) => readFileSync(join(root, 'terraform/modules', file), 'utf8');

/** `name = <number>` inside the block that starts at `anchor`. */
function tfNumber(text: string, anchor: string, name: string): number {
  const from = text.indexOf(anchor);
  if (from < 0) throw new Error(`no ${anchor}`);
  const match = new RegExp(`\\b${name}\\s*=\\s*"?(\\d+)"?`).exec(text.slice(from));
  if (!match) throw new Error(`no ${name} after ${anchor}`);
  return Number(match[1]);
}

const config = readApiConfig({
  QUEUE_URL: 'http://127.0.0.1:4566/000000000000/q',
  IDEMPOTENCY_TABLE: 'notify-idempotency',
  STATUS_TABLE: 'notify-status',
  API_TOKENS: JSON.stringify({ billing: 'a-long-enough-token-1' }),
});
const deadlines = apiDeadlines(config.timeouts);
const services = terraform('platform/services.tf');
const loadBalancer = terraform('load-balancer/variables.tf');

it('bounds the longest request by its dependency deadlines (22 s with the defaults)', () => {
  expect(deadlines.sqsCallMs).toBe(7_000);
  expect(deadlines.dynamodbCallMs).toBe(3_000);
  expect(deadlines.requestMs).toBe(22_000);
});

it('keeps the in-progress lease longer than the longest request plus clock skew', () => {
  expect(config.idempotencyLeaseSeconds * 1000).toBeGreaterThan(
    deadlines.requestMs + LEASE_CLOCK_MARGIN_MS,
  );
});

it('lets every request answer within the shutdown deadline, and that within ECS stopTimeout', () => {
  const tfShutdownMs = tfNumber(services, 'module "api"', 'SHUTDOWN_TIMEOUT_MS');
  const stopTimeoutMs = tfNumber(services, 'module "api"', 'stop_timeout') * 1000;
  expect(deadlines.requestMs).toBeLessThan(config.shutdownTimeoutMs);
  expect(deadlines.requestMs).toBeLessThan(tfShutdownMs);
  expect(tfShutdownMs).toBeLessThan(stopTimeoutMs);
  expect(config.shutdownTimeoutMs).toBeLessThan(stopTimeoutMs);
});

it('answers every request before the load balancer gives up on it', () => {
  const idleTimeoutMs = tfNumber(loadBalancer, 'variable "idle_timeout"', 'default') * 1000;
  expect(deadlines.requestMs).toBeLessThan(idleTimeoutMs);
});

it('answers a readiness check before the ALB health check times out', () => {
  const block = loadBalancer.slice(loadBalancer.indexOf('variable "health_check"'));
  const healthCheckTimeoutMs =
    Number(/\btimeout\s*=\s*optional\(number, (\d+)\)/.exec(block)?.[1]) * 1000;
  expect(READINESS_TIMEOUT_MS).toBeLessThan(healthCheckTimeoutMs);
});
