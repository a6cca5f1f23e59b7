import { randomBytes } from 'node:crypto';
import { parseEncryptionKeys } from '../config/encryption-keys';
import { WebhookSecretCipher } from './webhook-secret-cipher';

const ENDPOINT = '7f9c2d4e-1b3a-4c5d-8e6f-0a1b2c3d4e5f';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('WebhookSecretCipher', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('round-trips, never stores the secret, and differs each time (random IV)', () => {
    const cipher = new WebhookSecretCipher([oldKey]);
    const a = cipher.encrypt(SECRET, ENDPOINT);
    const b = cipher.encrypt(SECRET, ENDPOINT);
    expect(a).not.toContain(SECRET);
    expect(a).not.toContain(SECRET.slice(6));
    expect(a).not.toBe(b);
    expect(WebhookSecretCipher.isEncrypted(a)).toBe(true);
    expect(cipher.decrypt(a, ENDPOINT)).toBe(SECRET);
  });

  it('rotates: the first key encrypts, every key decrypts, a dropped key is named', () => {
    const stored = new WebhookSecretCipher([oldKey]).encrypt(SECRET, ENDPOINT);
    const rotating = new WebhookSecretCipher([newKey, oldKey]);
    expect(rotating.decrypt(stored, ENDPOINT)).toBe(SECRET);
    expect(rotating.isCurrent(stored)).toBe(false);
    const reencrypted = rotating.encrypt(rotating.decrypt(stored, ENDPOINT), ENDPOINT);
    expect(rotating.isCurrent(reencrypted)).toBe(true);
    expect(new WebhookSecretCipher([newKey]).decrypt(reencrypted, ENDPOINT)).toBe(SECRET);
    expect(() => new WebhookSecretCipher([newKey]).decrypt(stored, ENDPOINT)).toThrow(/not in WEBHOOK_SECRETS_ENCRYPTION_KEYS/);
  });

  it('refuses a value moved to another endpoint, a tampered value and a plaintext secret', () => {
    const cipher = new WebhookSecretCipher([oldKey]);
    const stored = cipher.encrypt(SECRET, ENDPOINT);
    expect(() => cipher.decrypt(stored, '00000000-0000-4000-8000-000000000000')).toThrow();
    const tampered = stored.slice(0, -2) + (stored.endsWith('AA') ? 'BB' : 'AA');
    expect(() => cipher.decrypt(tampered, ENDPOINT)).toThrow();
    expect(() => cipher.decrypt(SECRET, ENDPOINT)).toThrow(/not encrypted/);
  });
});

describe('parseEncryptionKeys', () => {
  it('reads comma-separated base64 32-byte keys in order', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    expect(parseEncryptionKeys(`${a.toString('base64')}, ${b.toString('base64')}`)).toEqual([a, b]);
  });

  it.each(['', 'c2hvcnQ=', randomBytes(16).toString('base64'), randomBytes(33).toString('base64'), `${randomBytes(32).toString('base64')},`])(
    'refuses %j naming the key',
    (text) => expect(() => parseEncryptionKeys(text)).toThrow(/key \d+ is not 32 bytes/),
  );
});
