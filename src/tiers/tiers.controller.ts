import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminAuth } from '../auth/admin-auth.decorator';
import { TierPolicyListDto } from './dto/tier-policy.dto';
import { TierPolicyService } from './tier-policy.service';

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
    example: {
      data: [
        { tier: 'starter', negotiated: false, annual_commitment: 10000, annual_validation_limit: 500000, rate_limit: { requests_per_second: 10, burst: 20 } },
        { tier: 'growth', negotiated: false, annual_commitment: 100000, annual_validation_limit: 5000000, rate_limit: { requests_per_second: 50, burst: 100 } },
        { tier: 'scale', negotiated: false, annual_commitment: 500000, annual_validation_limit: 30000000, rate_limit: { requests_per_second: 200, burst: 400 } },
        { tier: 'enterprise', negotiated: false, annual_commitment: 1500000, annual_validation_limit: 120000000, rate_limit: { requests_per_second: 1000, burst: 2000 } },
        { tier: 'custom', negotiated: true, annual_commitment: null, annual_validation_limit: null, rate_limit: null },
      ],
    },
  })
  list(): TierPolicyListDto {
    return {
      data: this.tierPolicy.table().map(({ tier, entitlements }) => ({
        tier,
        negotiated: entitlements === null,
        annual_commitment: entitlements?.annual_commitment ?? null,
        annual_validation_limit: entitlements?.annual_validation_limit ?? null,
        rate_limit: entitlements?.rate_limit ?? null,
      })),
    };
  }
}
