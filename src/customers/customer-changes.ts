import { FieldError, ProblemException } from '../common/problem.exception';
import { RateLimit, TierPolicyService } from '../tiers/tier-policy.service';
import { Tier } from '../tiers/tier.enum';
import { CustomerStatus } from './customer-status.enum';
import { Customer, CustomerMetadata } from './customer.entity';
import { mergeMetadata, METADATA_MAX_KEYS, MetadataPatch } from './customer-metadata';

/** The customer's editable state, as the API names it. */
export interface CustomerState {
  company_name: string;
  contact_email: string;
  tier: Tier;
  status: CustomerStatus;
  annual_commitment: number;
  annual_validation_limit: number;
  rate_limit: RateLimit;
  contract_start: string | null;
  contract_end: string | null;
  metadata: CustomerMetadata;
}

export interface CustomerPatch {
  company_name?: string;
  contact_email?: string;
  tier?: Tier;
  status?: CustomerStatus;
  contract_start?: string | null;
  contract_end?: string | null;
  metadata?: MetadataPatch | null;
  annual_commitment?: number;
  annual_validation_limit?: number;
  rate_limit?: RateLimit;
}

export type FieldChange = { from: unknown; to: unknown };
export type CustomerChanges = Partial<Record<keyof CustomerState, FieldChange>>;

const NEGOTIATED_FIELDS = ['annual_commitment', 'annual_validation_limit', 'rate_limit'] as const;
const STATE_FIELDS: (keyof CustomerState)[] = [
  'company_name',
  'contact_email',
  'tier',
  'status',
  'annual_commitment',
  'annual_validation_limit',
  'rate_limit',
  'contract_start',
  'contract_end',
  'metadata',
];

export function stateOf(customer: Customer): CustomerState {
  return {
    company_name: customer.company_name,
    contact_email: customer.contact_email,
    tier: customer.tier,
    status: customer.status,
    annual_commitment: customer.annual_commitment,
    annual_validation_limit: customer.annual_validation_limit,
    rate_limit: { requests_per_second: customer.rate_limit_requests_per_second, burst: customer.rate_limit_burst },
    contract_start: customer.contract_start,
    contract_end: customer.contract_end,
    metadata: customer.metadata,
  };
}

/**
 * Applies a partial update to a customer's state. A tier change takes its entitlements from the
 * tier table in the same write; custom keeps the current values unless the patch negotiates new ones.
 * Throws a 400 problem listing every rule the result would break.
 */
export function planCustomerUpdate(
  current: CustomerState,
  patch: CustomerPatch,
  policy: TierPolicyService,
): { next: CustomerState; changes: CustomerChanges } {
  const tier = patch.tier ?? current.tier;
  const errors = negotiatedFieldErrors(patch, tier, current.tier);
  const entitlements = policy.entitlementsFor(tier) ?? {
    annual_commitment: patch.annual_commitment ?? current.annual_commitment,
    annual_validation_limit: patch.annual_validation_limit ?? current.annual_validation_limit,
    rate_limit: patch.rate_limit ? { ...patch.rate_limit } : current.rate_limit,
  };
  const next: CustomerState = {
    company_name: patch.company_name ?? current.company_name,
    contact_email: patch.contact_email ?? current.contact_email,
    tier,
    status: patch.status ?? current.status,
    ...entitlements,
    contract_start: patch.contract_start === undefined ? current.contract_start : patch.contract_start,
    contract_end: patch.contract_end === undefined ? current.contract_end : patch.contract_end,
    metadata: patch.metadata === undefined ? current.metadata : mergeMetadata(current.metadata, patch.metadata),
  };
  errors.push(...stateErrors(next, patch));
  if (errors.length > 0) throw ProblemException.validation(errors);
  return { next, changes: diffStates(current, next) };
}

/** The state of a new customer: starter and active unless given; a custom tier must bring its three negotiated values. */
export function planNewCustomer(input: CustomerPatch & { company_name: string; contact_email: string }, policy: TierPolicyService): CustomerState {
  const tier = input.tier ?? Tier.Starter;
  const errors = negotiatedFieldErrors(input, tier);
  const entitlements = policy.entitlementsFor(tier);
  if (!entitlements) {
    for (const field of NEGOTIATED_FIELDS) {
      if (input[field] === undefined) errors.push({ field, message: `${field} is required when creating a customer on the custom tier` });
    }
  }
  const state: CustomerState = {
    company_name: input.company_name,
    contact_email: input.contact_email,
    tier,
    status: input.status ?? CustomerStatus.Active,
    annual_commitment: entitlements?.annual_commitment ?? input.annual_commitment ?? 0,
    annual_validation_limit: entitlements?.annual_validation_limit ?? input.annual_validation_limit ?? 0,
    rate_limit: entitlements?.rate_limit ?? (input.rate_limit ? { ...input.rate_limit } : { requests_per_second: 1, burst: 1 }),
    contract_start: input.contract_start ?? null,
    contract_end: input.contract_end ?? null,
    metadata: mergeMetadata({}, input.metadata ?? {}),
  };
  errors.push(...stateErrors(state, input));
  if (errors.length > 0) throw ProblemException.validation(errors);
  return state;
}

function negotiatedFieldErrors(patch: CustomerPatch, tier: Tier, storedTier?: Tier): FieldError[] {
  if (tier === Tier.Custom) return [];
  const why =
    patch.tier !== undefined || storedTier === undefined
      ? `the request sets tier ${tier}`
      : `the customer's tier is ${tier}; send "tier": "custom" in the same request to negotiate values`;
  return NEGOTIATED_FIELDS.filter((field) => patch[field] !== undefined).map((field) => ({
    field,
    message: `${field} can only be set on the custom tier, whose values are negotiated; ${why}, which fixes it from the tier table`,
  }));
}

function stateErrors(state: CustomerState, patch: CustomerPatch): FieldError[] {
  const errors: FieldError[] = [];
  if (state.contract_start && state.contract_end && state.contract_end < state.contract_start) {
    const field = patch.contract_end !== undefined || patch.contract_start === undefined ? 'contract_end' : 'contract_start';
    errors.push({
      field,
      message: `contract_end (${state.contract_end}) must not be before contract_start (${state.contract_start})`,
    });
  }
  if (state.rate_limit.burst < state.rate_limit.requests_per_second) {
    errors.push({ field: 'rate_limit.burst', message: 'rate_limit.burst must be at least rate_limit.requests_per_second' });
  }
  const metadataKeys = Object.keys(state.metadata).length;
  if (metadataKeys > METADATA_MAX_KEYS) {
    errors.push({ field: 'metadata', message: `metadata may have at most ${METADATA_MAX_KEYS} keys; this change would leave ${metadataKeys}` });
  }
  return errors;
}

/** A new customer's changes: every field that has a value, `from: null`. */
export function creationChanges(state: CustomerState): CustomerChanges {
  const nothing = Object.fromEntries(STATE_FIELDS.map((field) => [field, null])) as unknown as CustomerState;
  return diffStates(nothing, state);
}

export function diffStates(before: CustomerState, after: CustomerState): CustomerChanges {
  const changes: CustomerChanges = {};
  for (const field of STATE_FIELDS) {
    if (!sameValue(before[field], after[field])) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aKeys = Object.keys(a).sort();
  const bKeys = Object.keys(b).sort();
  if (aKeys.length !== bKeys.length || aKeys.some((key, index) => key !== bKeys[index])) return false;
  return aKeys.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
