import { Webhook } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook, webhookHeaders } from './webhook-signature';

describe('webhook signatures', () => {
  const body = JSON.stringify({ id: 'evt', type: 'customer.updated', data: { changes: { tier: { from: 'growth', to: 'scale' } } } });
  const now = Math.floor(Date.now() / 1000);

  it('makes whsec_ secrets of 24 random bytes', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('is verified by the standardwebhooks reference implementation', () => {
    const secret = generateWebhookSecret();
    const headers = webhookHeaders([secret], 'msg_1', now, body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('signs with every secret during a rotation, and each verifies on its own', () => {
    const [next, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = webhookHeaders([next, previous], 'msg_2', now, body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(next).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(previous).verify(body, { ...headers })).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, { ...headers })).toThrow();
  });

  it('binds the id, the timestamp and the body', () => {
    const secret = generateWebhookSecret();
    const signature = signWebhook(secret, 'msg_3', now, body);
    expect(signWebhook(secret, 'msg_4', now, body)).not.toBe(signature);
    expect(signWebhook(secret, 'msg_3', now + 1, body)).not.toBe(signature);
    expect(signWebhook(secret, 'msg_3', now, `${body} `)).not.toBe(signature);
  });
});
