import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export const MAX_REQUESTS_PER_SECOND = 1_000_000;

export class RateLimitDto {
  /** Sustained requests per second the customer's API keys may make. */
  @ApiProperty({ example: 200, minimum: 1, maximum: MAX_REQUESTS_PER_SECOND })
  @IsInt()
  @Min(1)
  @Max(MAX_REQUESTS_PER_SECOND)
  requests_per_second: number;

  /** Requests allowed in a burst above the sustained rate; at least `requests_per_second`. */
  @ApiProperty({ example: 400, minimum: 1, maximum: MAX_REQUESTS_PER_SECOND * 10 })
  @IsInt()
  @Min(1)
  @Max(MAX_REQUESTS_PER_SECOND * 10)
  burst: number;
}
