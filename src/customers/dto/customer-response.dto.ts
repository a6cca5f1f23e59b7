import { ApiProperty } from '@nestjs/swagger';
import { Tier } from '../../tiers/tier.enum';
import { CustomerStatus } from '../customer-status.enum';
import { Customer } from '../customer.entity';
import { RateLimitDto } from './rate-limit.dto';

/** The customer object returned by every customer endpoint. */
export class CustomerResponseDto {
  @ApiProperty({ description: 'Customer UUID', format: 'uuid', example: '550e8400-e29b-41d4-a716-446655440000' })
  customer_id: string;

  @ApiProperty({ example: 'Acme Financial' })
  company_name: string;

  @ApiProperty({ format: 'email', example: 'compliance@acmefinancial.com' })
  contact_email: string;

  @ApiProperty({ enum: Tier, enumName: 'Tier', example: Tier.Scale })
  tier: Tier;

  @ApiProperty({ enum: CustomerStatus, enumName: 'CustomerStatus', example: CustomerStatus.Active })
  status: CustomerStatus;

  @ApiProperty({ description: 'Annual commitment in USD, from the tier table (negotiated on custom)', example: 500000 })
  annual_commitment: number;

  @ApiProperty({ description: 'Validations allowed per year, from the tier table (negotiated on custom)', example: 30000000 })
  annual_validation_limit: number;

  @ApiProperty({ description: 'API rate limit, from the tier table (negotiated on custom)', type: RateLimitDto })
  rate_limit: RateLimitDto;

  @ApiProperty({ description: 'Contract start date, YYYY-MM-DD', type: String, format: 'date', nullable: true, example: '2026-01-01' })
  contract_start: string | null;

  @ApiProperty({ description: 'Contract end date, YYYY-MM-DD', type: String, format: 'date', nullable: true, example: '2026-12-31' })
  contract_end: string | null;

  @ApiProperty({
    description: 'Additional metadata',
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    example: {},
  })
  metadata: Record<string, string | number | boolean>;

  @ApiProperty({ description: 'ISO 8601 UTC, seconds precision', format: 'date-time', example: '2026-01-05T09:30:00Z' })
  created_at: string;

  @ApiProperty({ description: 'ISO 8601 UTC, seconds precision; moves only when something changed', format: 'date-time', example: '2026-01-20T15:00:00Z' })
  updated_at: string;
}

/** `2026-01-20T15:00:00Z`: the reference's timestamp format (UTC, whole seconds). */
export function formatTimestamp(value: Date): string {
  return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Chooses and orders the response fields explicitly: the reference's first, then the rest. */
export function toCustomerResponse(customer: Customer): CustomerResponseDto {
  return {
    customer_id: customer.customer_id,
    company_name: customer.company_name,
    contact_email: customer.contact_email,
    tier: customer.tier,
    status: customer.status,
    annual_commitment: Number(customer.annual_commitment),
    annual_validation_limit: Number(customer.annual_validation_limit),
    rate_limit: { requests_per_second: customer.rate_limit_requests_per_second, burst: customer.rate_limit_burst },
    contract_start: customer.contract_start,
    contract_end: customer.contract_end,
    metadata: customer.metadata,
    created_at: formatTimestamp(customer.created_at),
    updated_at: formatTimestamp(customer.updated_at),
  };
}
