import { Injectable } from '@nestjs/common';
import { Tier, TIERS } from './tier.enum';

export interface RateLimit {
  requests_per_second: number;
  burst: number;
}

/** What a tier grants: the commitment billed per year, the validations allowed per year, and the API rate limit. */
export interface TierEntitlements {
  annual_commitment: number;
  annual_validation_limit: number;
  rate_limit: RateLimit;
}

export interface TierPolicy {
  tier: Tier;
  /** `null` for custom: its values are negotiated per customer. */
  entitlements: TierEntitlements | null;
}

const STANDARD_TIERS: Record<Exclude<Tier, Tier.Custom>, TierEntitlements> = {
  [Tier.Starter]: { annual_commitment: 10_000, annual_validation_limit: 500_000, rate_limit: { requests_per_second: 10, burst: 20 } },
  [Tier.Growth]: { annual_commitment: 100_000, annual_validation_limit: 5_000_000, rate_limit: { requests_per_second: 50, burst: 100 } },
  [Tier.Scale]: { annual_commitment: 500_000, annual_validation_limit: 30_000_000, rate_limit: { requests_per_second: 200, burst: 400 } },
  [Tier.Enterprise]: {
    annual_commitment: 1_500_000,
    annual_validation_limit: 120_000_000,
    rate_limit: { requests_per_second: 1000, burst: 2000 },
  },
};

/** The pricing tier table. Pure: no I/O, so it is unit-tested with `new`. */
@Injectable()
export class TierPolicyService {
  /** The fixed entitlements of a standard tier, or `null` for custom (negotiated). */
  entitlementsFor(tier: Tier): TierEntitlements | null {
    if (tier === Tier.Custom) return null;
    const entitlements = STANDARD_TIERS[tier];
    return { ...entitlements, rate_limit: { ...entitlements.rate_limit } };
  }

  isNegotiated(tier: Tier): boolean {
    return tier === Tier.Custom;
  }

  table(): TierPolicy[] {
    return TIERS.map((tier) => ({ tier, entitlements: this.entitlementsFor(tier) }));
  }
}
