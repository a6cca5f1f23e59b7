import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { RateLimit, Tier, TIERS } from '../tiers/index';
import { CUSTOMER_STATUSES, CustomerStatus } from './customer-status.enum';

export type CustomerMetadata = Record<string, string | number | boolean>;

/** Company names are limited in characters (code points), the unit PostgreSQL's varchar counts. */
export const COMPANY_NAME_MAX_LENGTH = 200;
export const CONTACT_EMAIL_MAX_LENGTH = 320;

const sqlList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** Property names are the API's names (snake_case); `rate_limit` is embedded as two columns. */
@Entity({ name: 'customers' })
// The list endpoint pages newest first on (created_at, customer_id); each filter has an index that
// keeps that order (B-trees scan backwards), so a page is an index range scan, never a sort of the table.
@Index('customers_created_at_id', ['created_at', 'customer_id'])
@Index('customers_tier_created_at_id', ['tier', 'created_at', 'customer_id'])
@Index('customers_status_created_at_id', ['status', 'created_at', 'customer_id'])
@Index('customers_tier_status_created_at_id', ['tier', 'status', 'created_at', 'customer_id'])
@Index('customers_contact_email', ['contact_email'])
@Index('customers_external_id', ['external_id'], { unique: true, where: 'external_id IS NOT NULL' })
// Expression index for the case-insensitive name prefix search (`q`), created by the migration.
@Index('customers_company_name_prefix', { synchronize: false })
@Check('customers_tier_valid', `tier IN (${sqlList(TIERS)})`)
@Check('customers_status_valid', `status IN (${sqlList(CUSTOMER_STATUSES)})`)
@Check('customers_contract_dates_ordered', 'contract_end IS NULL OR contract_start IS NULL OR contract_end >= contract_start')
export class Customer {
  @PrimaryGeneratedColumn('uuid')
  customer_id: string;

  @Column({ type: 'varchar', length: COMPANY_NAME_MAX_LENGTH })
  company_name: string;

  @Column({ type: 'varchar', length: CONTACT_EMAIL_MAX_LENGTH })
  contact_email: string;

  @Column({ type: 'varchar', length: 20 })
  tier: Tier;

  @Column({ type: 'varchar', length: 20 })
  status: CustomerStatus;

  @Column({ type: 'bigint' })
  annual_commitment: number;

  @Column({ type: 'bigint' })
  annual_validation_limit: number;

  @Column(() => RateLimit, { prefix: false })
  rate_limit: RateLimit;

  @Column({ type: 'date', nullable: true })
  contract_start: string | null;

  @Column({ type: 'date', nullable: true })
  contract_end: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  metadata: CustomerMetadata;

  /** The id the customer has in another system (a CRM, billing); unique among customers that have one. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  external_id: string | null;

  /** Set by DELETE (archive), cleared by restore; an archived customer is read-only and left out of lists by default. */
  @Column({ type: 'timestamptz', nullable: true })
  archived_at: Date | null;

  /** Set once its personal data was erased (irreversible). */
  @Column({ type: 'timestamptz', nullable: true })
  erased_at: Date | null;

  /** Bumped by every real change (the repository's UPDATE sets `version = version + 1`); the ETag is derived from it. */
  @VersionColumn({ default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  created_at: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updated_at: Date;
}
