import { FieldError, ProblemException } from '../http/problem.exception';
import { NEGOTIATED_FIELDS, Tier, TierEntitlements, TierPolicyService } from '../tiers/index';
import { CustomerStatus } from './customer-status.enum';
import type { Customer } from './customer.entity';
import { mergeMetadata, METADATA_MAX_KEYS, MetadataPatch } from './customer-metadata';

/**
 * The customer's editable fields, in the order the API returns them: the one list from which state,
 * patches, diffs, creation defaults and responses are derived. A new field is a column on the entity,
 * a migration, a DTO property, and a name here.
 */
export const CUSTOMER_STATE_FIELDS = [
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
  'external_id',
] as const satisfies readonly (keyof Customer)[];

export type CustomerStateField = (typeof CUSTOMER_STATE_FIELDS)[number];

/** The customer's editable state, as the API names it. */
export type CustomerState = Pick<Customer, CustomerStateField>;

/** A partial update: absent fields keep their value, `null` clears a nullable one; metadata merges key by key. */
export type CustomerPatch = Partial<Omit<CustomerState, 'metadata'>> & { metadata?: MetadataPatch | null };

export type NewCustomer = CustomerPatch & Pick<CustomerState, 'company_name' | 'contact_email'>;

export type FieldChange = { from: unknown; to: unknown };
/** The lifecycle's own fields, changed only by archive, restore and erase. */
export type CustomerLifecycleField = 'archived_at' | 'erased_at';
export type CustomerChanges = Partial<Record<CustomerStateField | CustomerLifecycleField, FieldChange>>;

/** What a new customer has for a field the request leaves out (nullable fields default to null). */
const NEW_CUSTOMER_DEFAULTS: Partial<CustomerState> = { tier: Tier.Starter, status: CustomerStatus.Active, metadata: {} };

/** A copy of the entity's state, deep enough that merging into it never aliases the entity. */
export function stateOf(customer: CustomerState): CustomerState {
  const state = {} as Record<CustomerStateField, unknown>;
  for (const field of CUSTOMER_STATE_FIELDS) state[field] = copyValue(customer[field]);
  return state as CustomerState;
}

/**
 * Applies a partial update to a customer's state. A tier change takes its entitlements from the
 * tier table in the same write; custom keeps the current values unless the patch negotiates new ones.
 * Throws a 400 problem listing every rule the result would break.
 */
export function planCustomerUpdate(current: CustomerState, patch: CustomerPatch, policy: TierPolicyService): { next: CustomerState; changes: CustomerChanges } {
  const next = applyPatch(current, patch, policy);
  const errors = [...negotiatedFieldErrors(patch, next.tier, current.tier), ...stateErrors(next, patch)];
  if (errors.length > 0) throw ProblemException.validation(errors);
  return { next, changes: diffStates(current, next) };
}

/** The state of a new customer: starter and active unless given; a custom tier must bring its negotiated values. */
export function planNewCustomer(input: NewCustomer, policy: TierPolicyService): CustomerState {
  const tier = input.tier ?? Tier.Starter;
  const errors = negotiatedFieldErrors(input, tier);
  if (policy.entitlementsFor(tier) === null) {
    for (const field of NEGOTIATED_FIELDS) {
      if (input[field] === undefined) errors.push({ field, message: `${field} is required when creating a customer on the custom tier` });
    }
  }
  const blank = Object.fromEntries(CUSTOMER_STATE_FIELDS.map((field) => [field, NEW_CUSTOMER_DEFAULTS[field] ?? null])) as CustomerState;
  const state = applyPatch(blank, input, policy);
  errors.push(...stateErrors(state, input));
  if (errors.length > 0) throw ProblemException.validation(errors);
  return state;
}

function applyPatch(current: CustomerState, patch: CustomerPatch, policy: TierPolicyService): CustomerState {
  const next = stateOf(current) as Record<CustomerStateField, unknown>;
  for (const field of CUSTOMER_STATE_FIELDS) {
    const value = patch[field];
    if (value === undefined) continue;
    next[field] = field === 'metadata' ? mergeMetadata(current.metadata ?? {}, value as MetadataPatch | null) : copyValue(value);
  }
  const entitlements: TierEntitlements | null = policy.entitlementsFor(next.tier as Tier);
  if (entitlements) Object.assign(next, entitlements);
  return next as CustomerState;
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
  // rate_limit is missing only from a custom-tier creation that lacks it, already reported.
  if (state.rate_limit && state.rate_limit.burst < state.rate_limit.requests_per_second) {
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
  const nothing = Object.fromEntries(CUSTOMER_STATE_FIELDS.map((field) => [field, null])) as unknown as CustomerState;
  return diffStates(nothing, state);
}

export function diffStates(before: CustomerState, after: CustomerState): CustomerChanges {
  const changes: CustomerChanges = {};
  for (const field of CUSTOMER_STATE_FIELDS) {
    if (!sameValue(before[field], after[field])) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}

function copyValue<T>(value: T): T {
  return value !== null && typeof value === 'object' ? { ...value } : value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const aKeys = Object.keys(a).sort();
  const bKeys = Object.keys(b).sort();
  if (aKeys.length !== bKeys.length || aKeys.some((key, index) => key !== bKeys[index])) return false;
  return aKeys.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}
