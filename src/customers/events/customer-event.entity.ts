import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum CustomerEventType {
  Created = 'customer.created',
  Updated = 'customer.updated',
}

/** Append-only audit trail: one row per create and per real change, written in the same transaction. */
@Entity({ name: 'customer_events' })
@Index('customer_events_customer_newest_first', ['customer_id', 'created_at', 'event_id'])
export class CustomerEvent {
  @PrimaryGeneratedColumn('uuid')
  event_id: string;

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
  changes: Record<string, { from: unknown; to: unknown }>;

  // clock_timestamp(), not now(): events of one transaction still order by time.
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  created_at: Date;
}
