// The smoke-test action's inputs, validated with the names a workflow author typed.
import { createInputReader, type GetInput } from '@notify/actions-shared';
import { DEFAULT_DELIVERY_DEADLINE_MS, DEFAULT_RECIPIENT } from './smoke.ts';

export interface SmokeInputs {
  baseUrl: string;
  token: string;
  recipient: string;
  deadlineMs: number;
  latencyBudgetMs: number;
  /** Whether the notification must reach `delivered` (GET /v1/notifications/{id}). */
  checkDelivery: boolean;
  deliveryDeadlineMs: number;
}

export function readSmokeInputs(getInput: GetInput): SmokeInputs {
  const inputs = createInputReader(getInput);
  return {
    baseUrl: inputs.url('base-url', { required: true }) as string,
    token: inputs.string('token', { required: true }),
    recipient: inputs.string('recipient', {
      fallback: DEFAULT_RECIPIENT,
      pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
      hint: 'an email address',
    }),
    deadlineMs: inputs.duration('timeout-seconds', {
      fallback: 120_000,
      minMs: 1_000,
      maxMs: 3_600_000,
    }),
    latencyBudgetMs: inputs.int('latency-budget-ms', { fallback: 2_000, min: 1, max: 60_000 }),
    checkDelivery: inputs.boolean('check-delivery', { fallback: true }),
    deliveryDeadlineMs: inputs.duration('delivery-timeout-seconds', {
      fallback: DEFAULT_DELIVERY_DEADLINE_MS,
      minMs: 1_000,
      maxMs: 3_600_000,
    }),
  };
}
