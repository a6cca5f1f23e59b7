import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The published contract of customer events, shared by the customers feature (which writes them)
 * and their consumers (webhooks, LISTEN clients): types, field changes and the customer snapshot
 * are plain JSON here; the customers feature owns their exact shape.
 */
export type CustomerEventChanges = Record<string, { from: unknown; to: unknown }>;
/** The customer as the API returned it after the change. */
export type CustomerSnapshot = Record<string, unknown>;

export enum CustomerEventType {
  Created = 'customer.created',
  Updated = 'customer.updated',
  Archived = 'customer.archived',
  Restored = 'customer.restored',
  Erased = 'customer.erased',
}

/** Append-only audit trail: one row per create and per real change, written in the customer's transaction. */
@Entity({ name: 'customer_events' })
@Index('customer_events_customer_newest_first', ['customer_id', 'created_at', 'event_id'])
@Index('customer_events_transaction', ['transaction_id'])
export class CustomerEvent {
  @PrimaryGeneratedColumn('uuid')
  event_id: string;

  /** Insertion order. Transactions commit out of this order, so consumers resume from the relay's position instead. */
  @Index('customer_events_sequence', { unique: true })
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  sequence: number;

  /**
   * The writing transaction's 64-bit id: the relay finds newly committed events by comparing it
   * with the snapshot of its previous run (transactions that were in progress or had not started).
   */
  @Column({ type: 'bigint', default: () => 'current_transaction_id()', insert: false, update: false })
  transaction_id: number;

  @Column({ type: 'uuid' })
  customer_id: string;

  @Column({ type: 'varchar', length: 40 })
  type: CustomerEventType;

  /** The admin key's name, never its secret. */
  @Column({ type: 'varchar', length: 100 })
  actor: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  request_id: string | null;

  /** `{ field: { from, to } }`, derived values included. json, not jsonb: it keeps `from` before `to`. */
  @Column({ type: 'json' })
  changes: CustomerEventChanges;

  /** The customer as the API returned it after this change: what webhooks deliver, whatever happened since. */
  @Column({ type: 'json', nullable: true })
  customer: CustomerSnapshot | null;

  // clock_timestamp(), not now(): events of one transaction still order by time.
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  created_at: Date;
}
