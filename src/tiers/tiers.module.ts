import { Module } from '@nestjs/common';
import { TierPolicyService } from './tier-policy.service';
import { TiersController } from './tiers.controller';

@Module({
  controllers: [TiersController],
  providers: [TierPolicyService],
  exports: [TierPolicyService],
})
export class TiersModule {}
