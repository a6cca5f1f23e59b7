// The tiers feature's public surface: what other features may use (imported as '../tiers/index', so tools that read a folder import as a file see the room).
export { RateLimitDto } from './dto/rate-limit.dto';
export { RateLimit } from './rate-limit';
export { NEGOTIATED_FIELDS, TIER_POLICY, TierEntitlements, TierPolicyService } from './tier-policy.service';
export { Tier, TIERS } from './tier.enum';
export { TiersModule } from './tiers.module';
