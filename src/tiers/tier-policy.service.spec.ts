import { TierPolicyService } from './tier-policy.service';
import { Tier, TIERS } from './tier.enum';

describe('TierPolicyService', () => {
  const policy = new TierPolicyService();

  it.each([
    [Tier.Starter, 10_000, 500_000, 10, 20],
    [Tier.Growth, 100_000, 5_000_000, 50, 100],
    [Tier.Scale, 500_000, 30_000_000, 200, 400],
    [Tier.Enterprise, 1_500_000, 120_000_000, 1000, 2000],
  ])('%s grants the published entitlements', (tier, commitment, limit, rps, burst) => {
    expect(policy.entitlementsFor(tier)).toEqual({
      annual_commitment: commitment,
      annual_validation_limit: limit,
      rate_limit: { requests_per_second: rps, burst },
    });
  });

  it('treats custom as negotiated, with no fixed entitlements', () => {
    expect(policy.entitlementsFor(Tier.Custom)).toBeNull();
  });

  it('lists every tier in order, cheapest first', () => {
    expect(policy.table().map((row) => row.tier)).toEqual(TIERS);
    expect(TIERS).toEqual(['starter', 'growth', 'scale', 'enterprise', 'custom']);
  });

  it('renders the table as Markdown, one row per tier', () => {
    const lines = policy.markdownTable().split('\n');
    expect(lines).toHaveLength(2 + TIERS.length);
    expect(lines).toContain('| scale | 500000 | 30000000 | 200 | 400 |');
    expect(lines).toContain('| custom | negotiated | negotiated | negotiated | negotiated |');
  });

  it('hands out copies, so a caller cannot change the table', () => {
    const first = policy.entitlementsFor(Tier.Growth)!;
    first.rate_limit.requests_per_second = 1;
    first.annual_commitment = 1;
    expect(policy.entitlementsFor(Tier.Growth)!.rate_limit.requests_per_second).toBe(50);
    expect(policy.entitlementsFor(Tier.Growth)!.annual_commitment).toBe(100_000);
  });
});
