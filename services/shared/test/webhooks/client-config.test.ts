import { randomBytes } from 'node:crypto';
import { parseWebhookClients, wantsWebhook } from '../../src/webhooks/client-config.ts';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;

describe('parseWebhookClients', () => {
  it('reads each client with final statuses as the default event types', () => {
    const [a, b] = [secret(), secret()];
    const clients = parseWebhookClients(
      JSON.stringify({ 'client-a': { url: 'https://hooks.example.com/n', secrets: [a, b] } }),
    );
    expect(clients.get('client-a')).toEqual({
      url: 'https://hooks.example.com/n',
      secrets: [a, b],
      events: [
        'notification.delivered',
        'notification.bounced',
        'notification.suppressed',
        'notification.rejected',
        'notification.failed',
      ],
    });
    expect(wantsWebhook(clients, 'client-a', 'notification.bounced')).toBe(true);
    expect(wantsWebhook(clients, 'client-a', 'notification.delayed')).toBe(false);
    expect(wantsWebhook(clients, 'client-b', 'notification.bounced')).toBe(false);
  });

  it('lets a client opt in to delayed and complaints', () => {
    const clients = parseWebhookClients(
      JSON.stringify({
        c: {
          url: 'https://h.example/',
          secrets: [secret()],
          events: ['notification.delayed', 'notification.complained'],
        },
      }),
    );
    expect(wantsWebhook(clients, 'c', 'notification.complained')).toBe(true);
    expect(wantsWebhook(clients, 'c', 'notification.delivered')).toBe(false);
  });

  it('treats an absent value as no webhooks', () => {
    expect(parseWebhookClients(undefined).size).toBe(0);
    expect(parseWebhookClients('  ').size).toBe(0);
  });

  it.each([
    ['not JSON', '{', /must be JSON/],
    [
      'no secret',
      JSON.stringify({ c: { url: 'https://h.example/', secrets: [] } }),
      /c\.secrets: needs at least one/,
    ],
    [
      'a bad secret',
      JSON.stringify({ c: { url: 'https://h.example/', secrets: ['abc'] } }),
      /c\.secrets\.0: secret must start with whsec_/,
    ],
    [
      'a bad URL',
      JSON.stringify({ c: { url: 'ftp://h.example/', secrets: [secret()] } }),
      /c\.url/,
    ],
    [
      'an unknown event type',
      JSON.stringify({
        c: { url: 'https://h.example/', secrets: [secret()], events: ['notification.sent'] },
      }),
      /c\.events\.0/,
    ],
    [
      'an unknown field',
      JSON.stringify({ c: { url: 'https://h.example/', secrets: [secret()], secret: 'x' } }),
      /c: /,
    ],
  ])('refuses %s, naming the field', (_name, raw, message) => {
    expect(() => parseWebhookClients(raw)).toThrow(message);
  });
});
