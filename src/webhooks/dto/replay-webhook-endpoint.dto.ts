import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsDefined, IsInt, IsOptional, Max, Min } from 'class-validator';

/** At most this many events per replay: a longer range is replayed in steps. */
export const REPLAY_MAX_EVENTS = 100_000;
const POSITION = 'must be a position: a whole number from 0';

@ApiSchema({ name: 'ReplayWebhookEndpoint' })
export class ReplayWebhookEndpointDto {
  @ApiProperty({ description: 'Replay the events published after this position (see GET /admin/events)', minimum: 0, example: 0 })
  @IsDefined({ message: 'after_position is required' })
  @IsInt({ message: `after_position ${POSITION}` })
  @Min(0, { message: `after_position ${POSITION}` })
  @Max(Number.MAX_SAFE_INTEGER, { message: `after_position ${POSITION}` })
  after_position: number;

  @ApiProperty({
    required: false,
    minimum: 1,
    description: `Up to and including this position (default: the newest). At most ${REPLAY_MAX_EVENTS} positions per replay: replay a longer range in steps, each starting where the last ended.`,
    example: 1000,
  })
  @IsOptional()
  @IsInt({ message: `until_position ${POSITION}` })
  @Min(1, { message: `until_position ${POSITION}` })
  @Max(Number.MAX_SAFE_INTEGER, { message: `until_position ${POSITION}` })
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
