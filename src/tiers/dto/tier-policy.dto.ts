import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { TIER_POLICY } from '../tier-policy.service';
import { Tier } from '../tier.enum';
import { RateLimitDto } from './rate-limit.dto';

const SCALE = TIER_POLICY.standard(Tier.Scale);

@ApiSchema({ name: 'TierPolicy' })
export class TierPolicyDto {
  @ApiProperty({ enum: Tier, enumName: 'Tier', example: Tier.Scale })
  tier: Tier;

  /** True for custom: its values are negotiated per customer, so the numbers below are null. */
  @ApiProperty({ example: false })
  negotiated: boolean;

  @ApiProperty({ type: Number, nullable: true, description: 'Annual commitment in USD', example: SCALE.annual_commitment })
  annual_commitment: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Validations allowed per year', example: SCALE.annual_validation_limit })
  annual_validation_limit: number | null;

  // Inline rather than a $ref: OpenAPI 3.0 cannot make a referenced schema nullable.
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: 'The API rate limit the tier sets; null for custom',
    properties: {
      requests_per_second: { type: 'integer', example: SCALE.rate_limit.requests_per_second },
      burst: { type: 'integer', example: SCALE.rate_limit.burst },
    },
  })
  rate_limit: RateLimitDto | null;
}

@ApiSchema({ name: 'TierPolicyList' })
export class TierPolicyListDto {
  @ApiProperty({ type: [TierPolicyDto] })
  data: TierPolicyDto[];
}
