import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * Where the relay stopped: the snapshot of its last run. Events of transactions that snapshot saw as
 * committed have been published; the next run publishes those of the rest that have committed since.
 */
@Entity({ name: 'event_relay_state' })
export class EventRelayState {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  relay: string;

  /** A `pg_snapshot` in its text form, `xmin:xmax:xip,...`. */
  @Column({ type: 'text' })
  snapshot: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}

/** Committed events in the order the relay published them: `position` is what consumers resume from. */
@Entity({ name: 'customer_event_stream' })
export class PublishedCustomerEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  position: number;

  @Index('customer_event_stream_event', { unique: true })
  @Column({ type: 'uuid' })
  event_id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  published_at: Date;
}
