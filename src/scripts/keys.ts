import { loadDotEnv } from '../config/dot-env';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { GENERATED_KEY_NAME, generateAdminSecret, hashSecret, parseAdminKeys, parseKeyLifetime } from '../auth/admin-keys';
import { existsSync, readFileSync } from 'node:fs';
import { developmentKeyPath } from '../auth/development-key';
import { validateEnvironment } from '../config/environment';
import { openConfiguredDatabase } from '../database/database-target';
import { runMigrations } from '../database/migrate';
import { WebhookSecretCipher } from '../webhooks/webhook-secret-cipher';
import { developmentSecretsKeyPath, webhookSecretKeys } from '../webhooks/webhook-secret-keys';
import { reencryptWebhookSecrets } from '../webhooks/webhook-secrets-store';
import { databaseFailure } from '../startup-failure';

// .env first, as npm start reads it: the CLIs work on the same configuration.
loadDotEnv();

const USAGE = `Usage:
  npm run keys -- create --name NAME --scope read|write [--expires-in 90d]
                                                           prints the new secret once; --expires-in: a number and s, m, h, d or w
  npm run keys -- list                                     names, scopes, created, expires, last used (to the minute), revoked; never secrets
  npm run keys -- revoke --name NAME                       takes effect on the next request
  npm run keys -- reencrypt-webhook-secrets                re-encrypts every webhook secret with the first WEBHOOK_SECRETS_ENCRYPTION_KEYS key
  npm run keys -- dev-key                                  the development key of the embedded database (used when ADMIN_API_KEYS is unset)`;

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Admin key management on the configured database (DATABASE_URL, or the embedded one). */
async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, scope: { type: 'string' }, 'expires-in': { type: 'string' } },
  });
  const [command] = positionals;
  if (command === 'dev-key') return showDevelopmentKey();
  if (command === 'reencrypt-webhook-secrets') return reencrypt();
  if (!['create', 'list', 'revoke'].includes(command)) fail(USAGE);
  if (command !== 'list' && !NAME.test(values.name ?? '')) fail('--name is required: 1 to 64 letters, digits, ".", "_" or "-"');
  if (command === 'create' && !['read', 'write'].includes(values.scope ?? '')) fail('--scope must be read or write');
  const lifetimeMs = values['expires-in'] === undefined ? undefined : parseKeyLifetime(values['expires-in']);
  if (values['expires-in'] !== undefined && (command !== 'create' || lifetimeMs === undefined)) {
    fail('--expires-in goes with create: a whole number and a unit, such as 90d, 12h, 2w, 30m or 45s');
  }
  const environmentNames = new Set([GENERATED_KEY_NAME, ...parseAdminKeys(process.env.ADMIN_API_KEYS).map((key) => key.name)]);
  if (command === 'create' && environmentNames.has(values.name!)) {
    fail(`"${values.name}" is the name of a key in ADMIN_API_KEYS (or the generated development key): a name identifies one key, so choose another.`);
  }

  const database = await openConfiguredDatabase();
  const client = new Client({ connectionString: database.url });
  try {
    await runMigrations(database.url);
    await client.connect();
    if (command === 'create') {
      const secret = generateAdminSecret();
      const inserted = await client.query<{ expires_at: Date | null }>(
        `INSERT INTO admin_api_keys (name, scope, secret_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4::float8 / 1000)) ON CONFLICT DO NOTHING RETURNING expires_at`,
        [values.name, values.scope, hashSecret(secret).toString('hex'), lifetimeMs ?? null],
      );
      if (inserted.rowCount === 0)
        fail(`A key named "${values.name}" exists already (an expired key keeps its name until revoked): revoke it first, or choose another name.`);
      const expiry = inserted.rows[0].expires_at ? `, expires at ${inserted.rows[0].expires_at.toISOString()}` : ', never expires';
      console.log(
        `Created ${values.scope} key "${values.name}"${expiry}. Its secret, shown only this once:\n\n  ${secret}\n\nSend it as the x-api-key header.`,
      );
    } else if (command === 'list') {
      const { rows } = await client.query<{
        name: string;
        scope: string;
        created_at: Date;
        expires_at: Date | null;
        last_used_at: Date | null;
        revoked_at: Date | null;
      }>('SELECT name, scope, created_at, expires_at, last_used_at, revoked_at FROM admin_api_keys ORDER BY created_at');
      if (rows.length === 0) console.log('No keys yet: npm run keys -- create --name NAME --scope write');
      else {
        const time = (date: Date | null) => date?.toISOString() ?? '';
        console.table(
          rows.map((row) => ({
            name: row.name,
            scope: row.scope,
            state: row.revoked_at ? 'revoked' : row.expires_at && row.expires_at <= new Date() ? 'expired' : 'active',
            created_at: time(row.created_at),
            expires_at: row.expires_at ? time(row.expires_at) : 'never',
            last_used_at: time(row.last_used_at),
            revoked_at: time(row.revoked_at),
          })),
        );
        console.log('Keys in ADMIN_API_KEYS are not listed: they live in the environment and never expire.');
      }
    } else {
      const revoked = await client.query('UPDATE admin_api_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL', [values.name]);
      if (revoked.rowCount === 0) fail(`No active key named "${values.name}".`);
      console.log(`Revoked key "${values.name}".`);
    }
  } finally {
    await client.end().catch(() => undefined);
    await database.stop();
  }
}

/** After adding a new key first in WEBHOOK_SECRETS_ENCRYPTION_KEYS: every stored secret moves to it, so older keys can be dropped. */
async function reencrypt(): Promise<void> {
  const environment = validateEnvironment(process.env);
  const database = await openConfiguredDatabase();
  const { keys } = webhookSecretKeys(
    environment.WEBHOOK_SECRETS_ENCRYPTION_KEYS,
    developmentSecretsKeyPath(environment.EMBEDDED_DB_DIR, environment.DATABASE_URL ? undefined : environment.EMBEDDED_DB_DIR),
  );
  const client = new Client({ connectionString: database.url });
  try {
    await runMigrations(database.url);
    await client.connect();
    await client.query('BEGIN');
    const changed = await reencryptWebhookSecrets(client, new WebhookSecretCipher(keys), { all: true });
    await client.query('COMMIT');
    console.log(`Re-encrypted the secrets of ${changed} webhook endpoints with the first key; the other keys can now be removed.`);
  } finally {
    await client.end().catch(() => undefined);
    await database.stop();
  }
}

function showDevelopmentKey(): void {
  const { EMBEDDED_DB_DIR } = validateEnvironment(process.env);
  const path = developmentKeyPath(EMBEDDED_DB_DIR);
  if (!existsSync(path)) fail(`No development key in ${path} yet: npm start creates one when ADMIN_API_KEYS is unset.`);
  console.log(readFileSync(path, 'utf8').trim());
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main().catch((error) => {
  console.error(`keys failed: ${databaseFailure(error as Error)}`);
  process.exit(1);
});
