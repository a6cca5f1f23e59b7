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

/** Production refuses shorter secrets: a short key can be guessed. Generated keys have 32 random characters after `cak_`. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;
/** The name of the key generated in development when ADMIN_API_KEYS is unset. */
export const GENERATED_KEY_NAME = 'generated';

interface ParsedKey extends AdminKey {
  secretLength: number;
}

function parseEntries(value: string | undefined): ParsedKey[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const named = NAMED_KEY.exec(entry);
      if (named) return { name: named[1], scope: named[2] as AdminKeyScope, secretHash: hashSecret(named[3]), secretLength: named[3].length };
      const secretHash = hashSecret(entry);
      return { name: `key-${secretHash.toString('hex').slice(0, 8)}`, scope: 'write', secretHash, secretLength: entry.length };
    });
}

/**
 * Parses `ADMIN_API_KEYS`: comma-separated entries, each a bare secret (write scope, named by a
 * fingerprint of its hash) or `name:scope:secret`.
 */
export function parseAdminKeys(value: string | undefined): AdminKey[] {
  return parseEntries(value).map(({ name, scope, secretHash }) => ({ name, scope, secretHash }));
}

/**
 * What is wrong with ADMIN_API_KEYS, one line each, without showing a secret: two keys with one
 * name (a name identifies one key in logs, events, throttling and idempotency), and in production,
 * secrets shorter than MIN_PRODUCTION_SECRET_LENGTH.
 */
export function adminKeysProblems(value: string | undefined, production: boolean): string[] {
  const entries = parseEntries(value);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { name, secretLength } of entries) {
    if (seen.has(name)) problems.push(`two keys are named "${name}": a name must identify one key`);
    seen.add(name);
    if (production && secretLength < MIN_PRODUCTION_SECRET_LENGTH) {
      problems.push(
        `key "${name}" has a ${secretLength}-character secret; production needs at least ${MIN_PRODUCTION_SECRET_LENGTH} (generate one with \`openssl rand -base64 32\`)`,
      );
    }
  }
  return problems;
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
