import { randomBytes } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { signWebhook, webhookSecretProblem } from '../../src/webhooks/signing.ts';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({ type: 'notification.delivered', data: { id: 'n-1' } });

describe('signWebhook', () => {
  it('produces headers the library verifies and returns the parsed body', () => {
    const secret = newSecret();
    const headers = signWebhook([secret], 'msg_1', new Date(), body);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs with every live secret, so old and new both verify during a rotation', () => {
    const oldSecret = newSecret();
    const newOne = newSecret();
    const headers = signWebhook([oldSecret, newOne], 'msg_2', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(oldSecret).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(newOne).verify(body, { ...headers })).not.toThrow();
    // After the overlap the old secret is dropped: a receiver still on it no longer verifies.
    const after = signWebhook([newOne], 'msg_3', new Date(), body);
    expect(() => new Webhook(oldSecret).verify(body, { ...after })).toThrow(
      WebhookVerificationError,
    );
  });

  it('fails verification for a changed body, another id or a foreign secret', () => {
    const secret = newSecret();
    const headers = signWebhook([secret], 'msg_4', new Date(), body);
    const webhook = new Webhook(secret);
    expect(() => webhook.verify(body.replace('n-1', 'n-2'), { ...headers })).toThrow(
      WebhookVerificationError,
    );
    expect(() => webhook.verify(body, { ...headers, 'webhook-id': 'msg_5' })).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(newSecret()).verify(body, { ...headers })).toThrow(
      WebhookVerificationError,
    );
  });

  it('puts the timestamp in seconds, which the library checks against its tolerance', () => {
    const secret = newSecret();
    const old = new Date(Date.now() - 10 * 60_000);
    const headers = signWebhook([secret], 'msg_6', old, body);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(old.getTime() / 1000)));
    expect(() => new Webhook(secret).verify(body, { ...headers })).toThrow(/too old/);
  });

  it('refuses to sign without a secret', () => {
    expect(() => signWebhook([], 'msg_7', new Date(), body)).toThrow(/at least one/);
  });
});

describe('webhookSecretProblem', () => {
  it('accepts whsec_ + base64 of 24-64 bytes', () => {
    expect(webhookSecretProblem(newSecret())).toBeUndefined();
    expect(webhookSecretProblem(`whsec_${randomBytes(24).toString('base64')}`)).toBeUndefined();
  });
  it.each([
    ['no prefix', randomBytes(32).toString('base64'), /must start with whsec_/],
    ['not base64', 'whsec_not*base64!', /standard base64/],
    ['too short', `whsec_${randomBytes(8).toString('base64')}`, /24 to 64 bytes \(has 8\)/],
    ['too long', `whsec_${randomBytes(65).toString('base64')}`, /has 65/],
  ])('refuses %s', (_name, secret, message) => {
    expect(webhookSecretProblem(secret)).toMatch(message);
  });
});
