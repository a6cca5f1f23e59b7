import { Injectable } from '@nestjs/common';
import type { RateLimit } from './rate-limit';
import { Tier, TIERS } from './tier.enum';

/** What a tier grants: the commitment billed per year, the validations allowed per year, and the API rate limit. */
export interface TierEntitlements {
  annual_commitment: number;
  annual_validation_limit: number;
  rate_limit: RateLimit;
}

/** The customer fields a tier sets; on the custom tier they are negotiated per customer instead. */
export const NEGOTIATED_FIELDS = ['annual_commitment', 'annual_validation_limit', 'rate_limit'] as const satisfies readonly (keyof TierEntitlements)[];

export interface TierPolicy {
  tier: Tier;
  /** `null` for custom: its values are negotiated per customer. */
  entitlements: TierEntitlements | null;
}

/** The published tier table: the only place its numbers are written. */
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

/** The pricing tier table. Pure: no I/O, so it is unit-tested with `new`, and documentation is derived from it. */
@Injectable()
export class TierPolicyService {
  /** The fixed entitlements of a standard tier, or `null` for custom (negotiated). */
  entitlementsFor(tier: Tier): TierEntitlements | null {
    if (tier === Tier.Custom) return null;
    const entitlements = STANDARD_TIERS[tier];
    return { ...entitlements, rate_limit: { ...entitlements.rate_limit } };
  }

  /** The entitlements of a standard tier (throws for custom): for examples and documentation. */
  standard(tier: Exclude<Tier, Tier.Custom>): TierEntitlements {
    return this.entitlementsFor(tier)!;
  }

  table(): TierPolicy[] {
    return TIERS.map((tier) => ({ tier, entitlements: this.entitlementsFor(tier) }));
  }

  /** The table as Markdown, for the OpenAPI description. */
  markdownTable(): string {
    const rows = this.table().map(({ tier, entitlements: e }) =>
      e
        ? `| ${tier} | ${e.annual_commitment} | ${e.annual_validation_limit} | ${e.rate_limit.requests_per_second} | ${e.rate_limit.burst} |`
        : `| ${tier} | negotiated | negotiated | negotiated | negotiated |`,
    );
    return ['| tier | annual_commitment | annual_validation_limit | requests_per_second | burst |', '|---|---|---|---|---|', ...rows].join('\n');
  }
}

/** A shared instance for decorators and scripts, which run outside dependency injection. */
export const TIER_POLICY = new TierPolicyService();
