import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsDefined, IsOptional } from 'class-validator';
import { IsPosition } from '../../events/position';

/** At most this many events per replay: a longer range is replayed in steps. */
export const REPLAY_MAX_EVENTS = 100_000;

@ApiSchema({ name: 'ReplayWebhookEndpoint' })
export class ReplayWebhookEndpointDto {
  @ApiProperty({ description: 'Replay the events published after this position (see GET /admin/events)', minimum: 0, example: 0 })
  @IsDefined({ message: 'after_position is required' })
  @IsPosition('after_position')
  after_position: number;

  @ApiProperty({
    required: false,
    minimum: 0,
    description: `Up to and including this position (default: the newest). At most ${REPLAY_MAX_EVENTS} positions per replay: replay a longer range in steps, each starting where the last ended.`,
    example: 1000,
  })
  @IsOptional()
  @IsPosition('until_position')
  until_position?: number;
}

@ApiSchema({ name: 'WebhookReplay' })
export class WebhookReplayResponseDto {
  @ApiProperty({ description: 'Deliveries created: one per event in the range that the endpoint subscribes to', example: 42 })
  deliveries: number;

  @ApiProperty({ example: 0 })
  after_position: number;

  @ApiProperty({ example: 1000 })
  until_position: number;
}
