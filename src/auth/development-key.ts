import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAdminSecret } from './admin-keys';

/** Where the embedded database keeps the development admin key, beside its password (mode 0600). */
export const DEVELOPMENT_KEY_FILE = 'customer-admin.dev-key';

/** Injection token: the file of the development key, when the app runs on the embedded database. */
export const DEVELOPMENT_KEY_PATH = Symbol('DEVELOPMENT_KEY_PATH');

export function developmentKeyPath(dataDir: string): string {
  return join(dataDir, DEVELOPMENT_KEY_FILE);
}

/**
 * The key used when ADMIN_API_KEYS is unset outside production: read from `path` if an earlier run
 * made one, so the key Swagger UI remembers keeps working after a restart; otherwise generated and
 * written there (readable by its owner only). Without a path (a DATABASE_URL database) each run
 * generates its own.
 */
export function loadOrCreateDevelopmentKey(path: string | undefined): { secret: string; created: boolean } {
  if (path && existsSync(path)) return { secret: readFileSync(path, 'utf8').trim(), created: false };
  const secret = generateAdminSecret();
  if (path) writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return { secret, created: true };
}
