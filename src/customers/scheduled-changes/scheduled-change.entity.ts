import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { CustomerPatch } from '../customer-changes';
import { Customer } from '../customer.entity';

export enum ScheduledChangeStatus {
  Pending = 'pending',
  Applied = 'applied',
  Canceled = 'canceled',
  Failed = 'failed',
}

/** A partial update of a customer, applied by the ScheduledChangesWorker at `effective_at`. */
@Entity({ name: 'scheduled_changes' })
@Index('scheduled_changes_customer_created', ['customer_id', 'created_at', 'scheduled_change_id'])
// Pending changes by due time, for the worker (partial index, created by the migration).
@Index('scheduled_changes_pending_due', { synchronize: false })
@Check('scheduled_changes_status_valid', `status IN ('pending', 'applied', 'canceled', 'failed')`)
export class ScheduledChange {
  @PrimaryGeneratedColumn('uuid')
  scheduled_change_id: string;

  @Column({ type: 'uuid' })
  customer_id: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: 'timestamptz' })
  effective_at: Date;

  /** The PUT body's fields, as validated when the change was scheduled. */
  @Column({ type: 'jsonb' })
  changes: CustomerPatch;

  @Column({ type: 'varchar', length: 20, default: ScheduledChangeStatus.Pending })
  status: ScheduledChangeStatus;

  /** The admin key that scheduled it (audit; not in the API's representation). */
  @Column({ type: 'varchar', length: 200 })
  created_by: string;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @Column({ type: 'timestamptz', nullable: true })
  applied_at: Date | null;

  /** Why it could not be applied (status failed). */
  @Column({ type: 'text', nullable: true })
  failure: string | null;
}
