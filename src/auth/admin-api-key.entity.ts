import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { AdminKeyScope } from './admin-keys';

/** Admin keys created by `npm run keys`: only the sha256 of the secret is stored. */
@Entity({ name: 'admin_api_keys' })
@Check('admin_api_keys_scope_valid', `scope IN ('read', 'write')`)
@Index('admin_api_keys_active_name', ['name'], { unique: true, where: 'revoked_at IS NULL' })
export class AdminApiKey {
  @PrimaryGeneratedColumn('uuid')
  key_id: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 10 })
  scope: AdminKeyScope;

  @Index('admin_api_keys_secret_hash', { unique: true })
  @Column({ type: 'char', length: 64 })
  secret_hash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revoked_at: Date | null;

  /** After this the key is refused (401 saying it expired); null: it never expires. */
  @Column({ type: 'timestamptz', nullable: true })
  expires_at: Date | null;

  /** When the key last authenticated a request, to the minute (written at most once a minute). */
  @Column({ type: 'timestamptz', nullable: true })
  last_used_at: Date | null;
}
