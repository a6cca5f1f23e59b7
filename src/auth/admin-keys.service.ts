import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AdminKey, findAdminKeyByHash, generateAdminSecret, hashSecret, parseAdminKeys } from './admin-keys';

@Injectable()
export class AdminKeysService {
  private readonly environmentKeys: AdminKey[];
  /** Set when no ADMIN_API_KEYS were configured outside production: printed once at start-up. */
  readonly generatedSecret?: string;

  constructor(
    config: ConfigService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.environmentKeys = parseAdminKeys(config.get<string>('ADMIN_API_KEYS'));
    if (this.environmentKeys.length === 0) {
      this.generatedSecret = generateAdminSecret();
      this.environmentKeys = parseAdminKeys(`generated:write:${this.generatedSecret}`);
    }
  }

  /**
   * Keys from ADMIN_API_KEYS are checked in memory; keys made with `npm run keys` are looked up on
   * every request (one indexed read), so a revocation takes effect on the very next request.
   */
  async find(presented: string): Promise<AdminKey | undefined> {
    const secretHash = hashSecret(presented);
    const fromEnvironment = findAdminKeyByHash(this.environmentKeys, secretHash);
    if (fromEnvironment) return fromEnvironment;
    const [stored] = await this.dataSource.query('SELECT name, scope FROM admin_api_keys WHERE secret_hash = $1 AND revoked_at IS NULL', [
      secretHash.toString('hex'),
    ]);
    return stored ? { name: stored.name, scope: stored.scope, secretHash } : undefined;
  }
}
