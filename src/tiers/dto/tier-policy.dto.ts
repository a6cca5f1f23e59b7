import { ApiProperty } from '@nestjs/swagger';
import { RateLimitDto } from '../../customers/dto/rate-limit.dto';
import { Tier } from '../tier.enum';

export class TierPolicyDto {
  @ApiProperty({ enum: Tier, enumName: 'Tier', example: Tier.Scale })
  tier: Tier;

  /** True for custom: its values are negotiated per customer, so the numbers below are null. */
  @ApiProperty({ example: false })
  negotiated: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'Annual commitment in USD', example: 500000 })
  annual_commitment: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Validations allowed per year', example: 30000000 })
  annual_validation_limit: number | null;

  // Inline rather than a $ref: OpenAPI 3.0 cannot make a referenced schema nullable.
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: 'The API rate limit the tier sets; null for custom',
    properties: { requests_per_second: { type: 'integer', example: 200 }, burst: { type: 'integer', example: 400 } },
  })
  rate_limit: RateLimitDto | null;
}

export class TierPolicyListDto {
  @ApiProperty({ type: [TierPolicyDto] })
  data: TierPolicyDto[];
}
