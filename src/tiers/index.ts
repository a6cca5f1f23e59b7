// The tiers feature's public surface: what other features may use.
export { RateLimitDto } from './dto/rate-limit.dto';
export { RateLimit } from './rate-limit';
export { NEGOTIATED_FIELDS, TIER_POLICY, TierEntitlements, TierPolicyService } from './tier-policy.service';
export { Tier, TIERS } from './tier.enum';
export { TiersModule } from './tiers.module';
