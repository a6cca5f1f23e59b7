import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { TIER_POLICY } from '../tier-policy.service';
import { Tier } from '../tier.enum';
import type { RateLimit } from '../rate-limit';

const SCALE = TIER_POLICY.standard(Tier.Scale).rate_limit;

export const MAX_REQUESTS_PER_SECOND = 1_000_000;

@ApiSchema({ name: 'RateLimit' })
export class RateLimitDto implements RateLimit {
  /** Sustained requests per second the customer's API keys may make. */
  @ApiProperty({ example: SCALE.requests_per_second, minimum: 1, maximum: MAX_REQUESTS_PER_SECOND })
  @IsInt()
  @Min(1)
  @Max(MAX_REQUESTS_PER_SECOND)
  requests_per_second: number;

  /** Requests allowed in a burst above the sustained rate; at least `requests_per_second`. */
  @ApiProperty({ example: SCALE.burst, minimum: 1, maximum: MAX_REQUESTS_PER_SECOND * 10 })
  @IsInt()
  @Min(1)
  @Max(MAX_REQUESTS_PER_SECOND * 10)
  burst: number;
}
