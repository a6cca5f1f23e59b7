import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsEnum } from 'class-validator';
import { PageDtoOf, PageQueryDto } from '../../http/pagination.dto';
import { Optional } from '../../http/validation';
import { formatOptionalTimestamp, formatTimestamp } from '../../http/timestamps';
import { CustomerEventType } from '../../events/customer-event.entity';
import { WEBHOOK_DELIVERY_STATUSES, WebhookDelivery, WebhookDeliveryStatus } from '../webhook-delivery.entity';

export class ListWebhookDeliveriesQueryDto extends PageQueryDto {
  @ApiProperty({ required: false, enum: WebhookDeliveryStatus, enumName: 'WebhookDeliveryStatus', description: 'Only deliveries in this status' })
  @Optional()
  @IsEnum(WebhookDeliveryStatus, { message: `status must be one of: ${WEBHOOK_DELIVERY_STATUSES.join(', ')}` })
  status?: WebhookDeliveryStatus;
}

@ApiSchema({ name: 'WebhookDelivery' })
export class WebhookDeliveryResponseDto {
  @ApiProperty({ format: 'uuid', example: '9a1d2c3b-4e5f-4a6b-8c7d-0e1f2a3b4c5d' })
  delivery_id: string;

  @ApiProperty({ format: 'uuid', example: '3b0c6f1e-8a3d-4f6a-9d27-5c1e2b7a9f10' })
  webhook_endpoint_id: string;

  @ApiProperty({
    format: 'uuid',
    description: "The event, also sent as the `webhook-id` header and the body's `id`",
    example: '1f0e5a7c-6c1b-4d7e-8a55-3b9c2f1d0e42',
  })
  event_id: string;

  @ApiProperty({ enum: CustomerEventType, enumName: 'CustomerEventType', example: CustomerEventType.Updated })
  event_type: CustomerEventType;

  @ApiProperty({ format: 'uuid', example: '550e8400-e29b-41d4-a716-446655440000' })
  customer_id: string;

  @ApiProperty({
    enum: WebhookDeliveryStatus,
    enumName: 'WebhookDeliveryStatus',
    description:
      'pending: not yet delivered (being sent, or waiting for its next attempt or for an earlier event of the customer); succeeded: a 2xx answer; failed: given up',
    example: WebhookDeliveryStatus.Succeeded,
  })
  status: WebhookDeliveryStatus;

  @ApiProperty({ description: 'Attempts made so far', example: 1 })
  attempts: number;

  @ApiProperty({ type: Number, nullable: true, description: "The last attempt's HTTP status; null if it got none (timeout, refused connection)", example: 200 })
  last_response_status: number | null;

  @ApiProperty({ type: String, nullable: true, description: "The first 2 KB of the last response's body", example: 'ok' })
  last_response_body: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed, if it did', example: null })
  last_error: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Milliseconds the last attempt took', example: 42 })
  last_duration_ms: number | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-01-20T15:00:00Z' })
  last_attempt_at: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a pending delivery is next tried; null once it succeeded or failed',
    example: null,
  })
  next_attempt_at: string | null;

  @ApiProperty({ description: 'Made by a replay (POST …/replay) rather than when the event was published', example: false })
  replay: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-01-20T15:00:00Z' })
  created_at: string;
}

@ApiSchema({ name: 'WebhookDeliveryPage' })
export class WebhookDeliveryPageDto extends PageDtoOf(WebhookDeliveryResponseDto, 'deliveries') {}

export function toWebhookDeliveryResponse(delivery: WebhookDelivery): WebhookDeliveryResponseDto {
  return {
    delivery_id: delivery.delivery_id,
    webhook_endpoint_id: delivery.webhook_endpoint_id,
    event_id: delivery.event_id,
    event_type: delivery.event_type,
    customer_id: delivery.customer_id,
    status: delivery.status,
    attempts: delivery.attempts,
    last_response_status: delivery.last_response_status,
    last_response_body: delivery.last_response_body,
    last_error: delivery.last_error,
    last_duration_ms: delivery.last_duration_ms,
    last_attempt_at: formatOptionalTimestamp(delivery.last_attempt_at),
    next_attempt_at: delivery.status === WebhookDeliveryStatus.Pending ? formatOptionalTimestamp(delivery.next_attempt_at) : null,
    replay: delivery.replay,
    created_at: formatTimestamp(delivery.created_at),
  };
}
