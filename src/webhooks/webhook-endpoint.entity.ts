import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CustomerEventType } from '../events/customer-event.entity';

export const WEBHOOK_URL_MAX_LENGTH = 2048;
export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 500;

/** Where customer events are POSTed, signed with the endpoint's secret (Standard Webhooks). */
@Entity({ name: 'webhook_endpoints' })
export class WebhookEndpoint {
  @PrimaryGeneratedColumn('uuid')
  webhook_endpoint_id: string;

  @Column({ type: 'varchar', length: WEBHOOK_URL_MAX_LENGTH })
  url: string;

  @Column({ type: 'varchar', length: WEBHOOK_DESCRIPTION_MAX_LENGTH, nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 40, array: true })
  event_types: CustomerEventType[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Why the service disabled the endpoint (410 Gone, failing for too long); null when enabled or disabled by an admin. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  disabled_reason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  disabled_at: Date | null;

  /** When the current run of failed attempts began; null after a success. */
  @Column({ type: 'timestamptz', nullable: true })
  failing_since: Date | null;

  /**
   * The `whsec_<base64>` signing secret, encrypted (WebhookSecretCipher): every delivery signs with
   * it, so it cannot be hashed like an API key. Never logged; returned in clear only by creation and rotation.
   */
  @Column({ type: 'varchar', length: 300 })
  secret: string;

  /** The secret before the last rotation, encrypted: deliveries are signed with both until it expires. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  previous_secret: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  previous_secret_expires_at: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
