import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { formatTimestamp } from '../../http/timestamps';
import { RateLimitDto, Tier, TIER_POLICY } from '../../tiers/index';
import { CUSTOMER_STATE_FIELDS } from '../customer-changes';
import { CustomerStatus } from '../customer-status.enum';
import { Customer } from '../customer.entity';

const SCALE = TIER_POLICY.standard(Tier.Scale);

/** The customer object returned by every customer endpoint. */
@ApiSchema({ name: 'Customer' })
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

  @ApiProperty({ description: 'Annual commitment in USD, from the tier table (negotiated on custom)', example: SCALE.annual_commitment })
  annual_commitment: number;

  @ApiProperty({ description: 'Validations allowed per year, from the tier table (negotiated on custom)', example: SCALE.annual_validation_limit })
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

  @ApiProperty({
    description: "The customer's id in another system (a CRM, billing), unique among customers",
    type: String,
    nullable: true,
    example: 'crm-00042',
  })
  external_id: string | null;

  @ApiProperty({ description: 'ISO 8601 UTC, seconds precision', format: 'date-time', example: '2026-01-05T09:30:00Z' })
  created_at: string;

  @ApiProperty({ description: 'ISO 8601 UTC, seconds precision; moves only when something changed', format: 'date-time', example: '2026-01-20T15:00:00Z' })
  updated_at: string;

  @ApiProperty({
    description: 'When the customer was archived (DELETE); null unless archived. An archived customer is read-only and left out of lists unless asked for.',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  archived_at: string | null;

  @ApiProperty({
    description: 'When its personal data was erased (irreversible); null otherwise',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  erased_at: string | null;
}

/**
 * The one mapping from entity to response: the id, the state fields in their declared order, then
 * the timestamps. Values are shared with the entity, not copied: a response is serialised as it is
 * (a list page maps twenty of these per request).
 */
export function toCustomerResponse(customer: Customer): CustomerResponseDto {
  const response: Record<string, unknown> = { customer_id: customer.customer_id };
  for (const field of CUSTOMER_STATE_FIELDS) response[field] = customer[field];
  response.created_at = formatTimestamp(customer.created_at);
  response.updated_at = formatTimestamp(customer.updated_at);
  response.archived_at = customer.archived_at ? formatTimestamp(customer.archived_at) : null;
  response.erased_at = customer.erased_at ? formatTimestamp(customer.erased_at) : null;
  return response as unknown as CustomerResponseDto;
}
