// The relations between the worker's timeouts, read from the real defaults (config.ts) and the
// real Terraform values. The README's "Timeouts" section explains each number.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { callDeadlineMs } from '@notify/shared';
import { readWorkerConfig } from '../src/config.ts';

const root = join(__dirname, '..', '..', '..');
const services = readFileSync(join(root, 'terraform/modules/platform/services.tf'), 'utf8');
const platformVariables = readFileSync(
  join(root, 'terraform/modules/platform/variables.tf'),
  'utf8',
);
const sesEventsVariables = readFileSync(
  join(root, 'terraform/modules/ses-events/variables.tf'),
  'utf8',
);

function tfNumber(text: string, anchor: string, name: string): number {
  const from = text.indexOf(anchor);
  const match = new RegExp(`\\b${name}\\s*=\\s*"?(\\d+)"?`).exec(text.slice(from));
  if (from < 0 || !match) throw new Error(`no ${name} after ${anchor}`);
  return Number(match[1]);
}

const config = readWorkerConfig({
  QUEUE_URL: 'http://127.0.0.1:4566/000000000000/q',
  DLQ_URL: 'http://127.0.0.1:4566/000000000000/dlq',
  EMAIL_FROM: 'n@example.com',
});
/** Deletes, visibility changes, dead-letter sends: the SDK's default 3 attempts. */
const sqsCallMs = callDeadlineMs(config.sqsAttemptTimeoutMs, 3);
const pollDeadlineMs = config.waitTimeSeconds * 1000 + config.sqsAttemptTimeoutMs;
/** One status-store call, SDK retries included (main.ts passes it to StatusStore). */
const dynamodbCallMs = callDeadlineMs(config.dynamodbAttemptTimeoutMs, config.dynamodbMaxAttempts);

it('ends a hung send before its message can become visible to another consumer', () => {
  const queueDefault =
    tfNumber(platformVariables, 'variable "queue_visibility_timeout_seconds"', 'default') * 1000;
  expect(config.sesTimeoutMs).toBeLessThan(config.visibilityTimeoutSeconds * 1000);
  expect(config.sesTimeoutMs).toBeLessThan(queueDefault);
});

it('lets a send under way at SIGTERM finish and be deleted within the shutdown deadline', () => {
  expect(config.sesTimeoutMs + sqsCallMs).toBeLessThan(config.shutdownTimeoutMs);
  const tfShutdownMs = tfNumber(services, 'module "worker"', 'SHUTDOWN_TIMEOUT_MS');
  expect(config.sesTimeoutMs + sqsCallMs).toBeLessThan(tfShutdownMs);
});

it('keeps the shutdown deadline inside ECS stopTimeout', () => {
  const stopTimeoutMs = tfNumber(services, 'module "worker"', 'stop_timeout') * 1000;
  expect(tfNumber(services, 'module "worker"', 'SHUTDOWN_TIMEOUT_MS')).toBeLessThan(stopTimeoutMs);
});

it('times a hung long poll out before liveness gives up on the poll loop', () => {
  // /healthz allows 2 long polls + 10 s of silence; a hung poll fails well before that.
  expect(pollDeadlineMs).toBeLessThan(2 * config.waitTimeSeconds * 1000 + 10_000);
});

it('applies and deletes an SES event before the events queue would hand it out again', () => {
  // One event: the timeline put, the record read and the record write, then the delete.
  const eventsVisibilityMs =
    tfNumber(sesEventsVariables, 'variable "visibility_timeout_seconds"', 'default') * 1000;
  expect(3 * dynamodbCallMs + sqsCallMs).toBeLessThan(eventsVisibilityMs);
});

it('ends a status write on a hung table within the shutdown deadline', () => {
  // On SIGTERM each receive loop finishes the event under way (later ones of its batch are not
  // begun): on a hung table its first call fails at the deadline, then the delete.
  expect(dynamodbCallMs + sqsCallMs).toBeLessThan(config.shutdownTimeoutMs);
});
