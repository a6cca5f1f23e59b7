import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The first response to a create sent with an Idempotency-Key, replayed for IDEMPOTENCY_RETENTION_HOURS. Keys are scoped per admin key. */
@Entity({ name: 'idempotency_keys' })
@Index('idempotency_keys_expires_at', ['expires_at'])
export class IdempotencyKey {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  actor: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  /** sha256 of the request body in canonical JSON. */
  @Column({ type: 'char', length: 64 })
  request_hash: string;

  @Column({ type: 'integer', nullable: true })
  response_status: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response_headers: Record<string, string> | null;

  /** json, not jsonb: a replay returns the fields in the order of the first response. */
  @Column({ type: 'json', nullable: true })
  response_body: unknown;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  created_at: Date;

  @Column({ type: 'timestamptz' })
  expires_at: Date;
}
