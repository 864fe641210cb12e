import { webhookWorkerEnv, webhookBanner } from '../src/stack-config.ts';

const resources = {
  queueUrl: 'q',
  dlqUrl: 'd',
  idempotencyTable: 't',
  webhooksQueueUrl: 'http://127.0.0.1:4566/000000000000/notify-local-webhooks',
  webhooksDlqUrl: 'http://127.0.0.1:4566/000000000000/notify-local-webhooks-dlq',
};

describe('webhookWorkerEnv', () => {
  it('gives the development client the local endpoint and secret', () => {
    const env = webhookWorkerEnv(resources, {
      LOCAL_WEBHOOK_URL: 'http://127.0.0.1:4000/',
      LOCAL_WEBHOOK_SECRET: 'whsec_abc',
    });
    expect(env).toMatchObject({
      WEBHOOKS_QUEUE_URL: resources.webhooksQueueUrl,
      WEBHOOKS_DLQ_URL: resources.webhooksDlqUrl,
      WEBHOOKS_ALLOW_LOOPBACK: 'true',
    });
    expect(JSON.parse(env.WEBHOOK_CLIENTS!)).toEqual({
      'local-dev': { url: 'http://127.0.0.1:4000/', secrets: ['whsec_abc'] },
    });
  });

  it('configures no client without the variables, and refuses only one of them', () => {
    expect(webhookWorkerEnv(resources, {})).not.toHaveProperty('WEBHOOK_CLIENTS');
    expect(() =>
      webhookWorkerEnv(resources, { LOCAL_WEBHOOK_URL: 'http://127.0.0.1:4000/' }),
    ).toThrow(/both LOCAL_WEBHOOK_URL and LOCAL_WEBHOOK_SECRET/);
  });

  it('says in the banner where webhooks go, or how to receive them', () => {
    expect(webhookBanner({ LOCAL_WEBHOOK_URL: 'http://127.0.0.1:4000/' })).toContain(
      'go to http://127.0.0.1:4000/',
    );
    expect(webhookBanner({})).toContain('npm run webhooks -- receive');
  });
});
