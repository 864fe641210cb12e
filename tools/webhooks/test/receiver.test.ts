import { randomBytes } from 'node:crypto';
import { signWebhook } from '@notify/shared';
import { startReceiver, verifyDelivery } from '../src/receiver.ts';

const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
const body = '{"type":"notification.delivered"}';

describe('verifyDelivery', () => {
  it('accepts a delivery signed with any secret the receiver holds (rotation)', () => {
    const [oldSecret, newSecret] = [secret(), secret()];
    const headers = signWebhook([newSecret], 'msg_1', new Date(), body);
    expect(verifyDelivery([oldSecret, newSecret], body, { ...headers })).toEqual({
      verified: true,
      event: JSON.parse(body),
    });
  });

  it('names the problem when nothing verifies', () => {
    const headers = signWebhook([secret()], 'msg_1', new Date(), body);
    expect(verifyDelivery([secret()], body, { ...headers })).toEqual({
      verified: false,
      problem: 'No matching signature found',
    });
    expect(verifyDelivery([secret()], body, {})).toEqual({
      verified: false,
      problem: 'Missing required headers',
    });
  });
});

describe('startReceiver', () => {
  it('answers 204 to a signed delivery and 401 to a forged one', async () => {
    const key = secret();
    const receiver = await startReceiver({ port: 0, secrets: [key] });
    try {
      const post = (headers: Record<string, string>) =>
        fetch(receiver.url, { method: 'POST', headers, body });
      expect((await post({ ...signWebhook([key], 'msg_1', new Date(), body) })).status).toBe(204);
      expect((await post({ ...signWebhook([secret()], 'msg_2', new Date(), body) })).status).toBe(
        401,
      );
      expect(receiver.deliveries.map((d) => [d.verified, d.answered])).toEqual([
        [true, 204],
        [false, 401],
      ]);
    } finally {
      await receiver.close();
    }
  });
});
