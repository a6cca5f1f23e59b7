import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AdminKeyScope, parseAdminKeyEntries } from '../config/admin-keys-variable';

export type { AdminKeyScope };

export interface AdminKey {
  /** Safe to log and to record as the actor; never the secret. */
  name: string;
  scope: AdminKeyScope;
  secretHash: Buffer;
  /** Stored keys only: the row's id, when it stops working (null: never), and when it was last used. Environment keys never expire. */
  stored?: { keyId: string; expiresAt: Date | null; lastUsedAt: Date | null };
}

const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `--expires-in` of `npm run keys`: a whole number and a unit, `90d`, `12h`, `2w`, `30m` or `45s`; undefined when it is not one. */
export function parseKeyLifetime(text: string): number | undefined {
  const match = /^([1-9]\d{0,5})([smhdw])$/.exec(text);
  return match ? Number(match[1]) * DURATION_UNITS_MS[match[2] as keyof typeof DURATION_UNITS_MS] : undefined;
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
