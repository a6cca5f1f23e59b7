import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AdminKey, findAdminKeyByHash, GENERATED_KEY_NAME, hashSecret, parseAdminKeys } from './admin-keys';
import { DEVELOPMENT_KEY_PATH, loadOrCreateDevelopmentKey } from './development-key';
import type { EnvironmentVariables } from '../config/environment';

/** A stored key's `last_used_at` is written at most this often (and never on the request's path). */
const LAST_USED_PRECISION_MS = 60_000;

/** How stale the stored keys' hashes may be when a blocked address presents a key (a key made since then waits this long there). */
const STORED_HASHES_MAX_AGE_MS = 5_000;

@Injectable()
export class AdminKeysService implements OnModuleInit {
  private readonly environmentKeys: AdminKey[];
  /** Set when no ADMIN_API_KEYS were configured outside production: the development key, and whether this run made it. */
  readonly developmentKey?: { secret: string; created: boolean; path?: string };

  constructor(
    config: ConfigService<EnvironmentVariables, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(DEVELOPMENT_KEY_PATH) developmentKeyPath?: string,
  ) {
    this.environmentKeys = parseAdminKeys(config.get('ADMIN_API_KEYS', { infer: true }));
    if (this.environmentKeys.length === 0) {
      this.developmentKey = { ...loadOrCreateDevelopmentKey(developmentKeyPath), path: developmentKeyPath };
      this.environmentKeys = parseAdminKeys(`${GENERATED_KEY_NAME}:write:${this.developmentKey.secret}`);
    }
  }

  /** Refuses to start when an ADMIN_API_KEYS name is also an active stored key's: a name must identify one key. */
  async onModuleInit(): Promise<void> {
    const names = this.environmentKeys.map((key) => key.name);
    const rows: { name: string }[] = await this.dataSource.query('SELECT name FROM admin_api_keys WHERE revoked_at IS NULL AND name = ANY($1)', [names]);
    if (rows.length > 0) {
      const taken = rows.map((row) => `"${row.name}"`).join(', ');
      throw new Error(
        `ADMIN_API_KEYS names ${taken}, also the name of an active key made with npm run keys. A name identifies one key (in logs, events, throttling and idempotency): rename the environment key or revoke the stored one.`,
      );
    }
  }

  /**
   * For a client address blocked for failed authentication: could this be a valid key? Answered from
   * memory, from the environment keys and the stored keys' hashes (read at most every
   * STORED_HASHES_MAX_AGE_MS, however many requests ask), so a flood of wrong keys costs no queries.
   * True only means "look it up": a revoked key in the snapshot is still refused by find().
   */
  async couldBeValid(presented: string): Promise<boolean> {
    const secretHash = hashSecret(presented);
    if (findAdminKeyByHash(this.environmentKeys, secretHash)) return true;
    const stored = await this.storedHashes();
    return stored.has(secretHash.toString('hex'));
  }

  private storedSnapshot?: { hashes: Promise<Set<string>>; readAt: number };

  private storedHashes(): Promise<Set<string>> {
    const now = Date.now();
    if (!this.storedSnapshot || now - this.storedSnapshot.readAt > STORED_HASHES_MAX_AGE_MS) {
      const hashes = this.dataSource
        .query('SELECT secret_hash FROM admin_api_keys WHERE revoked_at IS NULL')
        .then((rows: { secret_hash: string }[]) => new Set(rows.map((row) => row.secret_hash)))
        .catch(() => new Set<string>());
      this.storedSnapshot = { hashes, readAt: now };
    }
    return this.storedSnapshot.hashes;
  }

  /**
   * Keys from ADMIN_API_KEYS are checked in memory; keys made with `npm run keys` are looked up on
   * every request (one indexed read), so a revocation takes effect on the very next request.
   */
  async find(presented: string): Promise<AdminKey | undefined> {
    const secretHash = hashSecret(presented);
    const fromEnvironment = findAdminKeyByHash(this.environmentKeys, secretHash);
    if (fromEnvironment) return fromEnvironment;
    const [stored]: { key_id: string; name: string; scope: AdminKey['scope']; expires_at: Date | null; last_used_at: Date | null }[] =
      await this.dataSource.query('SELECT key_id, name, scope, expires_at, last_used_at FROM admin_api_keys WHERE secret_hash = $1 AND revoked_at IS NULL', [
        secretHash.toString('hex'),
      ]);
    if (!stored) return undefined;
    return {
      name: stored.name,
      scope: stored.scope,
      secretHash,
      stored: { keyId: stored.key_id, expiresAt: stored.expires_at, lastUsedAt: stored.last_used_at },
    };
  }

  /** When the stored key has expired; undefined while it is valid (and always for environment keys). */
  expiredAt(key: AdminKey, now = new Date()): Date | undefined {
    const expiresAt = key.stored?.expiresAt;
    return expiresAt && expiresAt <= now ? expiresAt : undefined;
  }

  private readonly lastUseWritten = new Map<string, number>();

  /**
   * Records that a stored key authenticated a request: at most once a minute per key (the row's own
   * last_used_at, read with the key, and this process's last write both say when), in the
   * background, so a request never waits for or pays a write.
   */
  noteUse(key: AdminKey): void {
    if (!key.stored) return;
    const now = Date.now();
    const { keyId, lastUsedAt } = key.stored;
    const latest = Math.max(lastUsedAt?.getTime() ?? 0, this.lastUseWritten.get(keyId) ?? 0);
    if (now - latest < LAST_USED_PRECISION_MS) return;
    this.lastUseWritten.set(keyId, now);
    if (this.lastUseWritten.size > 10_000) this.lastUseWritten.delete(this.lastUseWritten.keys().next().value!);
    this.dataSource
      .query(
        `UPDATE admin_api_keys SET last_used_at = now() WHERE key_id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
        [keyId, LAST_USED_PRECISION_MS / 1000],
      )
      .catch(() => this.lastUseWritten.delete(keyId));
  }
}
