import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CustomerEvent, CustomerEventType } from '../events/customer-event.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export enum WebhookDeliveryStatus {
  Pending = 'pending',
  Succeeded = 'succeeded',
  Failed = 'failed',
}

export const WEBHOOK_DELIVERY_STATUSES = Object.values(WebhookDeliveryStatus);

/**
 * One event to one endpoint: created by the event relay in the transaction that publishes the event,
 * then claimed by a delivery worker (a lease, so a crashed worker's delivery is retried by another).
 */
@Entity({ name: 'webhook_deliveries' })
@Index('webhook_deliveries_endpoint_event', ['webhook_endpoint_id', 'event_id'], { unique: true, where: 'replay = false' })
@Index('webhook_deliveries_endpoint_position', ['webhook_endpoint_id', 'position'])
// The worker's two questions: what is due, and is an earlier delivery for this endpoint and customer still pending.
@Index('webhook_deliveries_due', ['next_attempt_at'], { where: `status = 'pending'` })
@Index('webhook_deliveries_pending_order', ['webhook_endpoint_id', 'customer_id', 'position'], { where: `status = 'pending'` })
@Check('webhook_deliveries_status_valid', `status IN (${WEBHOOK_DELIVERY_STATUSES.map((status) => `'${status}'`).join(', ')})`)
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  delivery_id: string;

  @Column({ type: 'uuid' })
  webhook_endpoint_id: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_endpoint_id' })
  endpoint?: WebhookEndpoint;

  @Column({ type: 'uuid' })
  event_id: string;

  @ManyToOne(() => CustomerEvent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id' })
  event?: CustomerEvent;

  @Column({ type: 'uuid' })
  customer_id: string;

  @Column({ type: 'varchar', length: 40 })
  event_type: CustomerEventType;

  /** The event's position in the relay's stream: deliveries to one endpoint for one customer go in this order. */
  @Column({ type: 'bigint' })
  position: number;

  @Column({ type: 'varchar', length: 20, default: WebhookDeliveryStatus.Pending })
  status: WebhookDeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Attempts after which a failing delivery is given up; a manual retry allows one more. */
  @Column({ type: 'integer' })
  max_attempts: number;

  @Column({ type: 'timestamptz', nullable: true })
  next_attempt_at: Date | null;

  /** A worker is sending it until then; past it, another worker may claim it again. */
  @Column({ type: 'timestamptz', nullable: true })
  leased_until: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  last_attempt_at: Date | null;

  @Column({ type: 'integer', nullable: true })
  last_response_status: number | null;

  /** The first few KB of the last response's body. */
  @Column({ type: 'text', nullable: true })
  last_response_body: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  last_error: string | null;

  @Column({ type: 'integer', nullable: true })
  last_duration_ms: number | null;

  /** Made by a replay (POST …/replay), not when the event was published. */
  @Column({ type: 'boolean', default: false })
  replay: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
