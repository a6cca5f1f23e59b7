import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsBoolean, IsEnum, IsString, MaxLength } from 'class-validator';
import { CodePointLength, IsDisplayName, Optional } from '../../http/validation';
import { CustomerEventType } from '../../events/customer-event.entity';
import { WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_URL_MAX_LENGTH } from '../webhook-endpoint.entity';

export const WEBHOOK_EVENT_TYPES = Object.values(CustomerEventType);
const EVENT_TYPES_MESSAGE = `each value in event_types must be one of: ${WEBHOOK_EVENT_TYPES.join(', ')}`;
export const WEBHOOK_URL_RULES =
  'An absolute https:// URL (http:// is accepted outside production, or with WEBHOOK_ALLOW_HTTP=true), without credentials. ' +
  'Hosts that resolve to loopback, private, link-local or metadata addresses are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (the development default).';

/** All fields are optional; only provided fields are changed. */
@ApiSchema({ name: 'UpdateWebhookEndpoint' })
export class UpdateWebhookEndpointDto {
  @ApiProperty({
    description: WEBHOOK_URL_RULES,
    required: false,
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    example: 'https://gateway.example.com/hooks/customer-admin',
  })
  @Optional()
  @IsString()
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  url?: string;

  @ApiProperty({
    description: 'What the endpoint is for (no control characters); null clears it',
    required: false,
    nullable: true,
    type: String,
    minLength: 1,
    maxLength: WEBHOOK_DESCRIPTION_MAX_LENGTH,
    example: 'API gateway rate limits',
  })
  @Optional({ nullable: true })
  @IsString()
  @CodePointLength(1, WEBHOOK_DESCRIPTION_MAX_LENGTH)
  @IsDisplayName()
  description?: string | null;

  @ApiProperty({
    description: `The event types to send (at least one): ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    required: false,
    enum: CustomerEventType,
    enumName: 'CustomerEventType',
    isArray: true,
    example: WEBHOOK_EVENT_TYPES,
  })
  @Optional()
  @IsArray()
  @ArrayNotEmpty({ message: 'event_types must name at least one event type; to stop deliveries, set enabled to false' })
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique({ message: 'event_types must not repeat a type' })
  @IsEnum(CustomerEventType, { each: true, message: EVENT_TYPES_MESSAGE })
  event_types?: CustomerEventType[];

  @ApiProperty({
    description: 'false stops new deliveries (pending ones wait); true re-enables an endpoint the service disabled and sends what is pending',
    required: false,
    example: true,
  })
  @Optional()
  @IsBoolean()
  enabled?: boolean;
}
