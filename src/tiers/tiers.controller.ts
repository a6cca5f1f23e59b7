import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/admin-auth.decorator';
import { TierPolicyListDto } from './dto/tier-policy.dto';
import { TIER_POLICY, TierPolicyService } from './tier-policy.service';

@ApiTags('tiers')
@AdminAuth()
@Controller('admin/tiers')
export class TiersController {
  constructor(private readonly tierPolicy: TierPolicyService) {}

  @Get()
  @ApiOperation({
    operationId: 'listTiers',
    summary: 'List Tiers',
    description: 'The pricing tier table: what each tier sets on a customer when it is assigned. Custom values are negotiated per customer.',
  })
  @ApiOkResponse({
    type: TierPolicyListDto,
    example: toTierPolicyList(TIER_POLICY),
  })
  list(): TierPolicyListDto {
    return toTierPolicyList(this.tierPolicy);
  }
}

function toTierPolicyList(policy: TierPolicyService): TierPolicyListDto {
  return {
    data: policy.table().map(({ tier, entitlements }) => ({
      tier,
      negotiated: entitlements === null,
      annual_commitment: entitlements?.annual_commitment ?? null,
      annual_validation_limit: entitlements?.annual_validation_limit ?? null,
      rate_limit: entitlements?.rate_limit ?? null,
    })),
  };
}
