import { createHash } from 'node:crypto';

export type AdminKeyScope = 'read' | 'write';

/** One `ADMIN_API_KEYS` entry: a bare secret (write scope, named by a fingerprint of its hash) or `name:scope:secret`. */
export interface AdminKeyEntry {
  name: string;
  scope: AdminKeyScope;
  secret: string;
}

const NAMED_KEY = /^([A-Za-z0-9_.-]{1,64}):(read|write):(.+)$/;

/** Production refuses shorter secrets: a short key can be guessed. Generated keys have 32 random characters after `cak_`. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

/** Parses `ADMIN_API_KEYS`: comma-separated entries, each a bare secret or `name:scope:secret`. */
export function parseAdminKeyEntries(value: string | undefined): AdminKeyEntry[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const named = NAMED_KEY.exec(entry);
      if (named) return { name: named[1], scope: named[2] as AdminKeyScope, secret: named[3] };
      return { name: `key-${createHash('sha256').update(entry, 'utf8').digest('hex').slice(0, 8)}`, scope: 'write', secret: entry };
    });
}

/**
 * What is wrong with ADMIN_API_KEYS, one line each, without showing a secret: two keys with one
 * name (a name identifies one key in logs, events, throttling and idempotency), and in production,
 * secrets shorter than MIN_PRODUCTION_SECRET_LENGTH.
 */
export function adminKeysProblems(value: string | undefined, production: boolean): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const { name, secret } of parseAdminKeyEntries(value)) {
    if (seen.has(name)) problems.push(`two keys are named "${name}": a name must identify one key`);
    seen.add(name);
    if (production && secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
      problems.push(
        `key "${name}" has a ${secret.length}-character secret; production needs at least ${MIN_PRODUCTION_SECRET_LENGTH} (generate one with \`openssl rand -base64 32\`)`,
      );
    }
  }
  return problems;
}
