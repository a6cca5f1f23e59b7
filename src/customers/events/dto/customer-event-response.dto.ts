import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PageDtoOf } from '../../../http/pagination.dto';
import { formatTimestamp } from '../../../http/timestamps';
import { Tier, TIER_POLICY } from '../../../tiers/index';
import { CustomerChanges, diffStates } from '../../customer-changes';
import type { CustomerState } from '../../customer-changes';
import { CustomerEvent, CustomerEventType } from '../../../events/customer-event.entity';

/** The changes an upgrade from growth to scale records, from the tier table. */
const growth = { tier: Tier.Growth, ...TIER_POLICY.standard(Tier.Growth) } as CustomerState;
export const UPGRADE_CHANGES_EXAMPLE: CustomerChanges = diffStates(growth, { ...growth, tier: Tier.Scale, ...TIER_POLICY.standard(Tier.Scale) });

@ApiSchema({ name: 'CustomerEvent' })
export class CustomerEventResponseDto {
  @ApiProperty({ format: 'uuid' })
  event_id: string;

  @ApiProperty({ format: 'uuid', example: '550e8400-e29b-41d4-a716-446655440000' })
  customer_id: string;

  @ApiProperty({ enum: CustomerEventType, enumName: 'CustomerEventType', example: CustomerEventType.Updated })
  type: CustomerEventType;

  @ApiProperty({ description: "The admin key's name (never its secret)", example: 'ops' })
  actor: string;

  @ApiProperty({ type: String, nullable: true, description: 'The x-request-id of the request that made the change' })
  request_id: string | null;

  @ApiProperty({
    description: 'Each changed field as `{ from, to }`, derived values (annual_commitment, rate_limit, …) included when the tier moved them',
    type: Object,
    additionalProperties: { type: 'object', properties: { from: {}, to: {} } },
    example: UPGRADE_CHANGES_EXAMPLE,
  })
  changes: Record<string, { from: unknown; to: unknown }>;

  @ApiProperty({ format: 'date-time', example: '2026-01-20T15:00:00Z' })
  created_at: string;
}

/** An upgrade from growth to scale, as the event lists show it. */
export const CUSTOMER_EVENT_EXAMPLE: CustomerEventResponseDto = {
  event_id: '1f0e5a7c-6c1b-4d7e-8a55-3b9c2f1d0e42',
  customer_id: '550e8400-e29b-41d4-a716-446655440000',
  type: CustomerEventType.Updated,
  actor: 'ops',
  request_id: '8c0f0a53-3c43-4a53-9a43-0e3f4b1c2d5e',
  changes: UPGRADE_CHANGES_EXAMPLE,
  created_at: '2026-01-20T15:00:00Z',
};

@ApiSchema({ name: 'CustomerEventPage' })
export class CustomerEventPageDto extends PageDtoOf(CustomerEventResponseDto, 'events') {}

export function toCustomerEventResponse(
  event: Pick<CustomerEvent, 'event_id' | 'customer_id' | 'type' | 'actor' | 'request_id' | 'changes' | 'created_at'>,
): CustomerEventResponseDto {
  return {
    event_id: event.event_id,
    customer_id: event.customer_id,
    type: event.type,
    actor: event.actor,
    request_id: event.request_id,
    changes: event.changes,
    created_at: formatTimestamp(event.created_at),
  };
}

@ApiSchema({ name: 'PublishedCustomerEvent' })
export class PublishedCustomerEventDto extends CustomerEventResponseDto {
  @ApiProperty({ description: "The event's place in the feed (commit order): store the last one you processed and pass it as `after`", example: 1042 })
  position: number;
}

@ApiSchema({ name: 'PublishedCustomerEventPage' })
export class PublishedCustomerEventPageDto extends PageDtoOf(PublishedCustomerEventDto, 'events') {}
