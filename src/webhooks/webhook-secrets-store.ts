import type { SqlTransaction } from '../database/pool-transaction';
import { WebhookSecretCipher } from './webhook-secret-cipher';

interface StoredSecrets {
  webhook_endpoint_id: string;
  secret: string;
  previous_secret: string | null;
}

/**
 * Brings every endpoint's stored secrets to the current key, in the caller's transaction, rows locked:
 * plaintext (from before encryption) is encrypted; with `all`, values under an older key are
 * re-encrypted too (`npm run keys -- reencrypt-webhook-secrets`). Returns how many endpoints changed.
 */
export async function reencryptWebhookSecrets(transaction: SqlTransaction, cipher: WebhookSecretCipher, { all }: { all: boolean }): Promise<number> {
  const { rows } = await transaction.query<StoredSecrets>(
    `SELECT webhook_endpoint_id, secret, previous_secret FROM webhook_endpoints
     WHERE $1 OR secret NOT LIKE 'enc:%' OR previous_secret NOT LIKE 'enc:%'
     ORDER BY webhook_endpoint_id FOR UPDATE`,
    [all],
  );
  let changed = 0;
  for (const row of rows) {
    const current = (stored: string) => {
      if (WebhookSecretCipher.isEncrypted(stored) && cipher.isCurrent(stored)) return stored;
      const plain = WebhookSecretCipher.isEncrypted(stored) ? cipher.decrypt(stored, row.webhook_endpoint_id) : stored;
      return cipher.encrypt(plain, row.webhook_endpoint_id);
    };
    const secret = current(row.secret);
    const previous = row.previous_secret === null ? null : current(row.previous_secret);
    if (secret === row.secret && previous === row.previous_secret) continue;
    await transaction.query('UPDATE webhook_endpoints SET secret = $2, previous_secret = $3 WHERE webhook_endpoint_id = $1', [
      row.webhook_endpoint_id,
      secret,
      previous,
    ]);
    changed++;
  }
  return changed;
}
