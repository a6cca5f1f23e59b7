import { ApiProperty, ApiSchema, OmitType } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength } from 'class-validator';
import { WEBHOOK_URL_MAX_LENGTH } from '../webhook-endpoint.entity';
import { UpdateWebhookEndpointDto, WEBHOOK_EVENT_TYPES, WEBHOOK_URL_RULES } from './update-webhook-endpoint.dto';

@ApiSchema({ name: 'CreateWebhookEndpoint' })
export class CreateWebhookEndpointDto extends OmitType(UpdateWebhookEndpointDto, ['url'] as const) {
  @ApiProperty({ description: WEBHOOK_URL_RULES, maxLength: WEBHOOK_URL_MAX_LENGTH, example: 'https://gateway.example.com/hooks/customer-admin' })
  @IsDefined({ message: 'url is required' })
  @IsString()
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  url: string;
}

export const CREATE_DEFAULTS_DESCRIPTION = `event_types defaults to every type (${WEBHOOK_EVENT_TYPES.join(', ')}) and enabled to true.`;
