import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEncryptionKeys } from '../config/encryption-keys';

/** Injection token: where a development encryption key is kept when WEBHOOK_SECRETS_ENCRYPTION_KEYS is unset outside production. */
export const WEBHOOK_SECRETS_KEY_PATH = Symbol('WEBHOOK_SECRETS_KEY_PATH');

const KEY_FILE = 'customer-admin.webhook-secrets-key';

/**
 * Where the development key lives: in the embedded database's data directory (beside the development
 * admin key), or, on a DATABASE_URL database, beside where that directory would be (`.data/` by
 * default), so restarts and every instance of one checkout share it.
 */
export function developmentSecretsKeyPath(embeddedDbDir: string, embeddedDataDir?: string): string {
  return embeddedDataDir ? join(embeddedDataDir, KEY_FILE) : join(dirname(resolve(embeddedDbDir)), KEY_FILE);
}

/**
 * The keys webhook secrets are encrypted with: WEBHOOK_SECRETS_ENCRYPTION_KEYS (required in
 * production, checked at boot), or a development key read from `developmentPath`, generated there
 * (mode 0600) by the first run. Losing it makes stored secrets unreadable: rotate the endpoints' secrets then.
 */
export function webhookSecretKeys(configured: string | undefined, developmentPath: string | undefined): { keys: Buffer[]; generatedAt?: string } {
  if (configured) return { keys: parseEncryptionKeys(configured) };
  if (!developmentPath) throw new Error('WEBHOOK_SECRETS_ENCRYPTION_KEYS is unset and there is no data directory to keep a development key in: set it');
  if (existsSync(developmentPath)) return { keys: parseEncryptionKeys(readFileSync(developmentPath, 'utf8').trim()) };
  mkdirSync(dirname(developmentPath), { recursive: true });
  writeFileSync(developmentPath, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { keys: parseEncryptionKeys(readFileSync(developmentPath, 'utf8').trim()), generatedAt: developmentPath };
}
