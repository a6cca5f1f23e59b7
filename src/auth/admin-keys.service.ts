import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AdminKey, findAdminKey, generateAdminSecret, parseAdminKeys } from './admin-keys';

@Injectable()
export class AdminKeysService {
  private readonly keys: AdminKey[];
  /** Set when no ADMIN_API_KEYS were configured outside production: printed once at start-up. */
  readonly generatedSecret?: string;

  constructor(config: ConfigService) {
    this.keys = parseAdminKeys(config.get<string>('ADMIN_API_KEYS'));
    if (this.keys.length === 0) {
      this.generatedSecret = generateAdminSecret();
      this.keys = parseAdminKeys(`generated:write:${this.generatedSecret}`);
    }
  }

  find(presented: string): AdminKey | undefined {
    return findAdminKey(this.keys, presented);
  }
}
