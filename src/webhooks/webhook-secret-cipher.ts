import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const FORMAT = 'enc:v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Eight hex characters naming a key in a stored value, so decryption picks its key without trying each. */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Webhook signing secrets at rest: AES-256-GCM (node:crypto), `enc:v1:<key id>:<base64url of iv,
 * tag, ciphertext>`, bound to the endpoint's id as additional data (a value copied to another
 * endpoint's row does not decrypt). The first key encrypts; every key decrypts, so keys can rotate:
 * add the new key first, re-encrypt (`npm run keys -- reencrypt-webhook-secrets`), then drop the old.
 */
export class WebhookSecretCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly currentKeyId: string;

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0 || keys.some((key) => key.length !== 32)) throw new Error('WebhookSecretCipher needs one or more 32-byte keys');
    this.keys = new Map(keys.map((key) => [keyIdOf(key), key]));
    this.currentKeyId = keyIdOf(keys[0]);
  }

  static isEncrypted(stored: string): boolean {
    return stored.startsWith(`${FORMAT}:`);
  }

  encrypt(secret: string, endpointId: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(endpointId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `${FORMAT}:${this.currentKeyId}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  /** The secret; throws saying why when the value is not one of ours, its key is not configured, or it was tampered with. */
  decrypt(stored: string, endpointId: string): string {
    const [format, version, keyId, payload] = stored.split(':');
    if (`${format}:${version}` !== FORMAT || payload === undefined)
      throw new Error('the stored webhook secret is not encrypted (start the service once to encrypt it)');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`the webhook secret is encrypted with key ${keyId}, which is not in WEBHOOK_SECRETS_ENCRYPTION_KEYS`);
    const bytes = Buffer.from(payload, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(endpointId));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** Whether the value is encrypted with the current (first) key. */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${FORMAT}:${this.currentKeyId}:`);
  }
}
