import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type AdminKeyScope = 'read' | 'write';

export interface AdminKey {
  /** Safe to log and to record as the actor; never the secret. */
  name: string;
  scope: AdminKeyScope;
  secretHash: Buffer;
}

const NAMED_KEY = /^([A-Za-z0-9_.-]{1,64}):(read|write):(.+)$/;

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Parses `ADMIN_API_KEYS`: comma-separated entries, each a bare secret (write scope, named by a
 * fingerprint of its hash) or `name:scope:secret`.
 */
export function parseAdminKeys(value: string | undefined): AdminKey[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const named = NAMED_KEY.exec(entry);
      if (named) return { name: named[1], scope: named[2] as AdminKeyScope, secretHash: hashSecret(named[3]) };
      const secretHash = hashSecret(entry);
      return { name: `key-${secretHash.toString('hex').slice(0, 8)}`, scope: 'write', secretHash };
    });
}

export function generateAdminSecret(): string {
  return `cak_${randomBytes(24).toString('base64url')}`;
}

/** Compares against every key, in constant time per key, so timing tells nothing about which or how much matched. */
export function findAdminKeyByHash(keys: readonly AdminKey[], presentedHash: Buffer): AdminKey | undefined {
  let found: AdminKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(key.secretHash, presentedHash) && !found) found = key;
  }
  return found;
}
