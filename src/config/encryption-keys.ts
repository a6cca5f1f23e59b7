/** How many keys WEBHOOK_SECRETS_ENCRYPTION_KEYS may list (the current one and those it replaced). */
const MAX_KEYS = 10;

/**
 * `WEBHOOK_SECRETS_ENCRYPTION_KEYS`: comma-separated base64 keys of 32 bytes each (`openssl rand
 * -base64 32`); the first encrypts, every one decrypts. Throws a message naming the bad item.
 */
export function parseEncryptionKeys(text: string): Buffer[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.length > MAX_KEYS) throw new Error(`at most ${MAX_KEYS} keys`);
  return items.map((item, index) => {
    const key = /^[A-Za-z0-9+/]{43}=$/.test(item) ? Buffer.from(item, 'base64') : undefined;
    if (!key || key.length !== 32)
      throw new Error(`key ${index + 1} is not 32 bytes in base64 (44 characters ending in "=", as openssl rand -base64 32 prints)`);
    return key;
  });
}
