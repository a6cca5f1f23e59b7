import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AdminKeyScope, parseAdminKeyEntries } from '../config/admin-keys-variable';

export type { AdminKeyScope };

export interface AdminKey {
  /** Safe to log and to record as the actor; never the secret. */
  name: string;
  scope: AdminKeyScope;
  secretHash: Buffer;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The name of the key generated in development when ADMIN_API_KEYS is unset. */
export const GENERATED_KEY_NAME = 'generated';

/** The keys of `ADMIN_API_KEYS` (format and checks: config/admin-keys-variable.ts), with their secrets hashed. */
export function parseAdminKeys(value: string | undefined): AdminKey[] {
  return parseAdminKeyEntries(value).map(({ name, scope, secret }) => ({ name, scope, secretHash: hashSecret(secret) }));
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
