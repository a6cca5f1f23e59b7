import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PageDtoOf } from '../../http/pagination.dto';
import { formatOptionalTimestamp, formatTimestamp } from '../../http/timestamps';
import { CustomerEventType } from '../../events/customer-event.entity';
import { WebhookEndpoint } from '../webhook-endpoint.entity';
import { WEBHOOK_EVENT_TYPES } from './update-webhook-endpoint.dto';

@ApiSchema({ name: 'WebhookEndpoint' })
export class WebhookEndpointResponseDto {
  @ApiProperty({ format: 'uuid', example: '3b0c6f1e-8a3d-4f6a-9d27-5c1e2b7a9f10' })
  webhook_endpoint_id: string;

  @ApiProperty({ example: 'https://gateway.example.com/hooks/customer-admin' })
  url: string;

  @ApiProperty({ type: String, nullable: true, example: 'API gateway rate limits' })
  description: string | null;

  @ApiProperty({ enum: CustomerEventType, enumName: 'CustomerEventType', isArray: true, example: WEBHOOK_EVENT_TYPES })
  event_types: CustomerEventType[];

  @ApiProperty({ description: 'Whether events are being delivered', example: true })
  enabled: boolean;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Why the service disabled the endpoint (the receiver answered 410 Gone, or every attempt failed for a day); null when enabled or disabled by an admin',
    example: null,
  })
  disabled_reason: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: null })
  disabled_at: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Since when every attempt has failed; null after a success', example: null })
  failing_since: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when deliveries are also signed with the secret before the last rotation',
    example: null,
  })
  previous_secret_expires_at: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T09:30:00Z' })
  created_at: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-05T09:30:00Z' })
  updated_at: string;
}

@ApiSchema({ name: 'WebhookEndpointWithSecret' })
export class WebhookEndpointWithSecretDto extends WebhookEndpointResponseDto {
  @ApiProperty({
    description: 'The signing secret (Standard Webhooks `whsec_…`). Shown only in this response: store it now.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret: string;
}

@ApiSchema({ name: 'WebhookEndpointPage' })
export class WebhookEndpointPageDto extends PageDtoOf(WebhookEndpointResponseDto, 'endpoints') {}

/** The one mapping from entity to response; the secret is never part of it. */
export function toWebhookEndpointResponse(endpoint: WebhookEndpoint): WebhookEndpointResponseDto {
  const previousSecretValid = endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at.getTime() > Date.now();
  return {
    webhook_endpoint_id: endpoint.webhook_endpoint_id,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.event_types,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabled_reason,
    disabled_at: formatOptionalTimestamp(endpoint.disabled_at),
    failing_since: formatOptionalTimestamp(endpoint.failing_since),
    previous_secret_expires_at: previousSecretValid ? formatOptionalTimestamp(endpoint.previous_secret_expires_at) : null,
    created_at: formatTimestamp(endpoint.created_at),
    updated_at: formatTimestamp(endpoint.updated_at),
  };
}
