import { randomBytes } from 'node:crypto';
import { readWebhookConfig } from '../../src/webhooks/config.ts';

const base = {
  WEBHOOKS_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/notify-local-webhooks',
  WEBHOOKS_DLQ_URL: 'http://127.0.0.1:4566/000000000000/notify-local-webhooks-dlq',
};

describe('readWebhookConfig', () => {
  it('is absent without a webhooks queue', () => {
    expect(readWebhookConfig({})).toBeUndefined();
  });

  it('reads the defaults and the clients', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const config = readWebhookConfig({
      ...base,
      WEBHOOK_CLIENTS: JSON.stringify({ c: { url: 'https://h.example/', secrets: [secret] } }),
    })!;
    expect(config.settings).toMatchObject({
      schedule: [5, 300, 1800, 7200, 18_000, 36_000, 36_000],
      policy: { allowLoopback: false },
      attempt: { timeoutMs: 10_000, maxResponseBytes: 4096 },
      perEndpointConcurrency: 4,
    });
    expect(config.clients.get('c')?.secrets).toEqual([secret]);
  });

  it('takes a test schedule', () => {
    expect(
      readWebhookConfig({ ...base, WEBHOOKS_RETRY_SCHEDULE_SECONDS: '1, 2' })!.settings.schedule,
    ).toEqual([1, 2]);
  });

  it.each([
    [
      { WEBHOOKS_ALLOW_LOOPBACK: 'true', ENVIRONMENT: 'production' },
      /WEBHOOKS_ALLOW_LOOPBACK: is for the local stack only/,
    ],
    [
      { WEBHOOKS_RETRY_SCHEDULE_SECONDS: '5,50000' },
      /WEBHOOKS_RETRY_SCHEDULE_SECONDS: must be comma-separated/,
    ],
    [
      { WEBHOOK_CLIENTS: '{"c":{"url":"https://h.example/","secrets":["x"]}}' },
      /WEBHOOK_CLIENTS: c\.secrets\.0: secret must start with whsec_/,
    ],
    [
      { WEBHOOKS_ATTEMPT_TIMEOUT_MS: '20000', WEBHOOKS_VISIBILITY_TIMEOUT_SECONDS: '10' },
      /WEBHOOKS_ATTEMPT_TIMEOUT_MS: must be below/,
    ],
    [{ WEBHOOKS_DLQ_URL: '' }, /WEBHOOKS_DLQ_URL: is required/],
  ])('refuses %j', (extra, message) => {
    expect(() => readWebhookConfig({ ...base, ...extra })).toThrow(message);
  });
});
