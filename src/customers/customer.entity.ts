import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Tier } from '../tiers/tier.enum';
import { CustomerStatus } from './customer-status.enum';

export type CustomerMetadata = Record<string, string | number | boolean>;

/**
 * Property names are the column names and the wire names (snake_case), so rows returned by
 * `UPDATE ... RETURNING *` have the entity's shape without a mapping layer.
 */
@Entity({ name: 'customers' })
// The list endpoint pages newest first on (created_at, customer_id); each filter has an index that
// keeps that order (B-trees scan backwards), so a page is an index range scan, never a sort of the table.
@Index('customers_created_at_id', ['created_at', 'customer_id'])
@Index('customers_tier_created_at_id', ['tier', 'created_at', 'customer_id'])
@Index('customers_status_created_at_id', ['status', 'created_at', 'customer_id'])
@Index('customers_tier_status_created_at_id', ['tier', 'status', 'created_at', 'customer_id'])
@Index('customers_contact_email', ['contact_email'])
// Expression index for the case-insensitive name prefix search (`q`), created by the migration.
@Index('customers_company_name_prefix', { synchronize: false })
@Check('customers_tier_valid', `tier IN ('starter', 'growth', 'scale', 'enterprise', 'custom')`)
@Check('customers_status_valid', `status IN ('active', 'suspended')`)
@Check('customers_contract_dates_ordered', 'contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start')
export class Customer {
  @PrimaryGeneratedColumn('uuid')
  customer_id: string;

  @Column({ type: 'varchar', length: 200 })
  company_name: string;

  @Column({ type: 'varchar', length: 320 })
  contact_email: string;

  @Column({ type: 'varchar', length: 20 })
  tier: Tier;

  @Column({ type: 'varchar', length: 20 })
  status: CustomerStatus;

  @Column({ type: 'bigint' })
  annual_commitment: number;

  @Column({ type: 'bigint' })
  annual_validation_limit: number;

  @Column({ type: 'integer' })
  rate_limit_requests_per_second: number;

  @Column({ type: 'integer' })
  rate_limit_burst: number;

  @Column({ type: 'date', nullable: true })
  contract_start: string | null;

  @Column({ type: 'date', nullable: true })
  contract_end: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  metadata: CustomerMetadata;

  /** Bumped on every real change; the ETag is derived from it. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
