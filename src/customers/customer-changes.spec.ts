import { ProblemException } from '../http/problem.exception';
import { Tier, TierPolicyService } from '../tiers/index';
import { CustomerStatus } from './customer-status.enum';
import { CustomerState, planCustomerUpdate, planNewCustomer } from './customer-changes';
import { mergeMetadata, metadataProblems } from './customer-metadata';

const policy = new TierPolicyService();
const growth: CustomerState = {
  company_name: 'Acme Financial',
  contact_email: 'compliance@acmefinancial.com',
  tier: Tier.Growth,
  status: CustomerStatus.Active,
  annual_commitment: 100_000,
  annual_validation_limit: 5_000_000,
  rate_limit: { requests_per_second: 50, burst: 100 },
  contract_start: '2026-01-01',
  contract_end: null,
  metadata: { region: 'eu' },
  external_id: null,
};

function fieldErrors(action: () => unknown) {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    return (error as ProblemException).errors;
  }
  throw new Error('expected a validation problem');
}

describe('planCustomerUpdate', () => {
  it('an empty patch changes nothing', () => {
    expect(planCustomerUpdate(growth, {}, policy)).toEqual({ next: growth, changes: {} });
  });

  it('a tier change moves the derived values with it, and reports each change', () => {
    const { next, changes } = planCustomerUpdate(growth, { tier: Tier.Scale }, policy);
    expect(next).toMatchObject({
      tier: 'scale',
      annual_commitment: 500_000,
      annual_validation_limit: 30_000_000,
      rate_limit: { requests_per_second: 200, burst: 400 },
    });
    expect(changes).toEqual({
      tier: { from: 'growth', to: 'scale' },
      annual_commitment: { from: 100_000, to: 500_000 },
      annual_validation_limit: { from: 5_000_000, to: 30_000_000 },
      rate_limit: { from: { requests_per_second: 50, burst: 100 }, to: { requests_per_second: 200, burst: 400 } },
    });
  });

  it('setting a field to its current value is no change', () => {
    expect(planCustomerUpdate(growth, { tier: Tier.Growth, metadata: { region: 'eu' }, contract_start: '2026-01-01' }, policy).changes).toEqual({});
  });

  it('custom keeps current values and takes negotiated ones', () => {
    const kept = planCustomerUpdate(growth, { tier: Tier.Custom }, policy);
    expect(kept.changes).toEqual({ tier: { from: 'growth', to: 'custom' } });
    const negotiated = planCustomerUpdate(kept.next, { annual_validation_limit: 9 }, policy);
    expect(negotiated.changes).toEqual({ annual_validation_limit: { from: 5_000_000, to: 9 } });
  });

  it('refuses negotiated values on a standard tier and an end before the start, all at once', () => {
    const errors = fieldErrors(() => planCustomerUpdate(growth, { annual_commitment: 1, contract_end: '2025-12-31' }, policy));
    expect(errors.map((e) => e.field)).toEqual(['annual_commitment', 'contract_end']);
  });

  it('blames contract_start when only the start moves past the stored end', () => {
    const withEnd = { ...growth, contract_end: '2026-06-30' };
    expect(fieldErrors(() => planCustomerUpdate(withEnd, { contract_start: '2026-07-01' }, policy))[0].field).toBe('contract_start');
    expect(planCustomerUpdate(withEnd, { contract_start: null }, policy).next.contract_start).toBeNull();
  });
});

describe('planNewCustomer', () => {
  it('defaults to starter and active with the starter entitlements', () => {
    expect(planNewCustomer({ company_name: 'A', contact_email: 'a@b.co' }, policy)).toMatchObject({
      tier: 'starter',
      status: 'active',
      annual_commitment: 10_000,
      rate_limit: { requests_per_second: 10, burst: 20 },
      metadata: {},
    });
  });

  it('needs all three negotiated values for custom', () => {
    const errors = fieldErrors(() => planNewCustomer({ company_name: 'A', contact_email: 'a@b.co', tier: Tier.Custom }, policy));
    expect(errors.map((e) => e.field)).toEqual(['annual_commitment', 'annual_validation_limit', 'rate_limit']);
  });
});

describe('metadata', () => {
  it('merges key by key, removes null keys, and clears on null', () => {
    expect(mergeMetadata({ a: 1, b: 'x' }, { b: null, c: true })).toEqual({ a: 1, c: true });
    expect(mergeMetadata({ a: 1 }, null)).toEqual({});
  });

  it('describes every problem', () => {
    expect(metadataProblems({ ok: 'x', nested: { a: 1 }, list: [1], ['k'.repeat(41)]: 1 })).toHaveLength(3);
    expect(metadataProblems([])).toHaveLength(1);
    expect(metadataProblems({ a: null, b: 1.5, c: false })).toEqual([]);
  });
});
