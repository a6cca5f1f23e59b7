import fc from 'fast-check';
import { createCustomer, customerRow } from './support/customers';
import { createTestApp, TestApp, WRITE_KEY } from './support/test-app';

/**
 * Property-based: generated bodies, valid and invalid mixed, against PUT and POST. Never a 5xx, every
 * 4xx is problem details, and the stored customer always equals what an independent model of the
 * published rules expects (written here from the README, not from the service's code).
 */
type RateLimit = { requests_per_second: number; burst: number };
interface Model {
  company_name: string;
  contact_email: string;
  tier: string;
  status: string;
  annual_commitment: number;
  annual_validation_limit: number;
  rate_limit: RateLimit;
  contract_start: string | null;
  contract_end: string | null;
  metadata: Record<string, unknown>;
}

const TABLE: Record<string, [number, number, number, number]> = {
  starter: [10000, 500000, 10, 20],
  growth: [100000, 5000000, 50, 100],
  scale: [500000, 30000000, 200, 400],
  enterprise: [1500000, 120000000, 1000, 2000],
};
const FIELDS = [
  'company_name',
  'contact_email',
  'tier',
  'status',
  'contract_start',
  'contract_end',
  'metadata',
  'annual_commitment',
  'annual_validation_limit',
  'rate_limit',
];
const VALID_EMAILS = ['ops@acme.example', 'Billing@Globex.Example', ' admin@initech.example '];
const VALID_DATES = ['2026-01-01', '2026-06-30', '2027-12-31', '2028-02-29'];

/** Mostly valid values, with an invalid one now and then, so that both outcomes are well exercised. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) => fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });

const core = fc.record(
  {
    company_name: mostly(
      fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.constant('  Padded Co  ')),
      fc.constantFrom('x'.repeat(201), '   ', null, 42, 'nul\u0000', '\ud800'),
    ),
    contact_email: mostly(fc.constantFrom(...VALID_EMAILS), fc.constantFrom('not-an-email', '@x.example', '', null)),
    tier: mostly(fc.constantFrom('starter', 'growth', 'scale', 'enterprise', 'custom'), fc.constantFrom('gold', 'Scale', '', null)),
    status: mostly(fc.constantFrom('active', 'suspended'), fc.constantFrom('deleted', 'ACTIVE', null)),
    contract_start: mostly(fc.constantFrom(...VALID_DATES, null), fc.constantFrom('2026-02-30', '2026-01-01T00:00:00Z', 'soon')),
    contract_end: mostly(fc.constantFrom(...VALID_DATES, null), fc.constantFrom('2027-13-01', '31/12/2027')),
    metadata: mostly(
      fc.oneof(
        fc.dictionary(
          fc.constantFrom('region', 'seats', 'sso', 'tier_note', 'owner', "it's; DROP TABLE x"),
          fc.oneof(
            fc.string({ maxLength: 20 }),
            fc.string({ unit: 'binary', maxLength: 8 }),
            fc.integer(),
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.boolean(),
            fc.constant(null),
          ),
          { maxKeys: 4 },
        ),
        fc.constant(null),
      ),
      fc.oneof(
        fc.constant([]),
        fc.constant('text'),
        fc.constant({ ['k'.repeat(41)]: 1 }),
        fc.constant({ a: 'y'.repeat(501) }),
        fc.constant({ a: [1] }),
        fc.constant({ a: { b: 1 } }),
      ),
    ),
  },
  { requiredKeys: [] },
);
const negotiated = fc.record(
  {
    annual_commitment: mostly(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(-1, 1.5, '100')),
    annual_validation_limit: mostly(fc.integer({ min: 0, max: 500_000_000 }), fc.constant(-5)),
    rate_limit: mostly(
      fc.integer({ min: 1, max: 5000 }).chain((rps) => fc.record({ requests_per_second: fc.constant(rps), burst: fc.integer({ min: rps, max: rps * 3 }) })),
      fc.constantFrom({ requests_per_second: 0, burst: 1 }, { requests_per_second: 5 }, { requests_per_second: 10, burst: 5 }),
    ),
  },
  { requiredKeys: [] },
);
const body = fc
  .tuple(
    core,
    fc.oneof({ arbitrary: fc.constant({}), weight: 3 }, { arbitrary: negotiated, weight: 1 }),
    fc.oneof({ arbitrary: fc.constant({}), weight: 30 }, { arbitrary: fc.constant({ tierr: 'scale' }), weight: 1 }),
  )
  .map(([fields, negotiatedFields, typo]) => ({ ...fields, ...negotiatedFields, ...typo }));
const newCustomerBody = fc
  .tuple(body, fc.boolean(), fc.constantFrom(...VALID_EMAILS))
  .map(([fields, named, email]) => (named ? { company_name: 'Generated Co', contact_email: email, ...fields } : fields));

/** PostgreSQL stores neither NUL nor unpaired UTF-16 surrogates (README: rejected with 400). */
function storable(text: string): boolean {
  return !text.includes('\0') && text.isWellFormed();
}

function isDate(value: unknown): value is string {
  return typeof value === 'string' && VALID_DATES.includes(value);
}

/** The published rules, applied to the model. Returns undefined when the request must be a 400. */
function expectedAfter(before: Model | undefined, generated: Record<string, any>): Model | undefined {
  // The model sees what the server sees: the body as JSON carries it (-0 arrives as 0, undefined keys vanish).
  const input: Record<string, any> = JSON.parse(JSON.stringify(generated));
  const has = (field: string) => field in input;
  if (Object.keys(input).some((field) => !FIELDS.includes(field))) return undefined;
  if (!before && (!has('company_name') || !has('contact_email'))) return undefined;
  const next: Model = before
    ? structuredClone(before)
    : ({ tier: 'starter', status: 'active', contract_start: null, contract_end: null, metadata: {} } as unknown as Model);

  if (has('company_name')) {
    if (typeof input.company_name !== 'string' || !storable(input.company_name)) return undefined;
    const trimmed = input.company_name.trim();
    // Code points, at least one visible character (not only whitespace, format characters, marks without a base, default-ignorables or the blank braille pattern), no control characters.
    if (
      [...trimmed].length < 1 ||
      [...trimmed].length > 200 ||
      /^[\p{White_Space}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}\u2800]*$/u.test(trimmed) ||
      /\p{Cc}/u.test(trimmed)
    )
      return undefined;
    next.company_name = trimmed;
  }
  if (has('contact_email')) {
    if (!VALID_EMAILS.includes(input.contact_email)) return undefined;
    next.contact_email = input.contact_email.trim().toLowerCase();
  }
  if (has('tier')) {
    if (!['starter', 'growth', 'scale', 'enterprise', 'custom'].includes(input.tier)) return undefined;
    next.tier = input.tier;
  }
  if (has('status')) {
    if (!['active', 'suspended'].includes(input.status)) return undefined;
    next.status = input.status;
  }
  for (const field of ['contract_start', 'contract_end'] as const) {
    if (has(field)) {
      if (input[field] !== null && !isDate(input[field])) return undefined;
      next[field] = input[field];
    }
  }
  if (has('metadata')) {
    const patch = input.metadata;
    if (patch === null) next.metadata = {};
    else {
      if (typeof patch !== 'object' || Array.isArray(patch)) return undefined;
      for (const [key, value] of Object.entries(patch)) {
        if ([...key].length > 40 || (typeof value === 'string' && !storable(value))) return undefined;
        const scalar = value === null || typeof value === 'boolean' || typeof value === 'number' || (typeof value === 'string' && [...value].length <= 500);
        if (!scalar) return undefined;
        if (value === null) delete next.metadata[key];
        else next.metadata[key] = value;
      }
    }
  }
  const negotiated = ['annual_commitment', 'annual_validation_limit', 'rate_limit'].filter(has);
  if (negotiated.length > 0 && next.tier !== 'custom') return undefined;
  for (const field of ['annual_commitment', 'annual_validation_limit'] as const) {
    if (has(field)) {
      if (!Number.isInteger(input[field]) || input[field] < 0) return undefined;
      next[field] = input[field];
    }
  }
  if (has('rate_limit')) {
    const { requests_per_second: rps, burst } = input.rate_limit;
    if (!Number.isInteger(rps) || !Number.isInteger(burst) || rps < 1 || burst < 1) return undefined;
    if (burst < rps) return undefined;
    next.rate_limit = { requests_per_second: rps, burst };
  }
  if (next.tier === 'custom') {
    if (!before && negotiated.length < 3) return undefined;
  } else {
    const [commitment, limit, rps, burst] = TABLE[next.tier];
    Object.assign(next, { annual_commitment: commitment, annual_validation_limit: limit, rate_limit: { requests_per_second: rps, burst } });
  }
  if (next.contract_start && next.contract_end && next.contract_end < next.contract_start) return undefined;
  return next;
}

function modelOf(customer: Record<string, any>): Model {
  // The lifecycle fields are not part of this model (no request here archives, erases or sets an external id).
  const { customer_id, created_at, updated_at, archived_at, erased_at, external_id, ...model } = customer;
  return model as Model;
}

describe('Generated requests (property-based, e2e)', () => {
  let t: TestApp;
  let counts: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp();
    counts = {};
  });
  afterAll(async () => {
    await t.close();
    console.log(`property runs by outcome: ${JSON.stringify(counts)}`);
  });

  function checkResponse(response: { status: number; headers: Record<string, string>; body: any }, expected: Model | undefined, label: string) {
    counts[`${label} ${response.status}`] = (counts[`${label} ${response.status}`] ?? 0) + 1;
    expect(response.status).toBeLessThan(500);
    if (response.status >= 400) {
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: response.status, title: expect.any(String), detail: expect.any(String), errors: expect.any(Array) });
    }
    expect({ accepted: response.status < 300 }).toEqual({ accepted: expected !== undefined });
  }

  it('PUT: 1200 generated bodies', async () => {
    const customer = await createCustomer(t, {
      tier: 'custom',
      annual_commitment: 1,
      annual_validation_limit: 2,
      rate_limit: { requests_per_second: 3, burst: 4 },
    });
    const id = customer.customer_id;
    // The state each run starts from is what the previous run left in the database (read back there), so no extra GET.
    let before = modelOf(customer);
    await fc.assert(
      fc.asyncProperty(body, async (input) => {
        const expected = expectedAfter(before, input);
        const response = await t.http().put(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY).send(input);
        checkResponse(response, expected, 'PUT');
        const row = await customerRow(t.dataSource, id);
        const stored = {
          ...modelOf(row),
          rate_limit: { requests_per_second: row.rate_limit_requests_per_second, burst: row.rate_limit_burst },
        } as Record<string, unknown>;
        for (const column of ['rate_limit_requests_per_second', 'rate_limit_burst', 'version']) delete stored[column];
        expect(stored).toEqual(expected ?? before);
        if (expected) expect(modelOf(response.body)).toEqual(expected);
        before = stored as unknown as Model;
      }),
      { numRuns: 1200 },
    );
  });

  it('POST: 800 generated bodies', async () => {
    await fc.assert(
      fc.asyncProperty(newCustomerBody, async (input) => {
        const expected = expectedAfter(undefined, input);
        const response = await t.http().post('/admin/customers').set('x-api-key', WRITE_KEY).send(input);
        checkResponse(response, expected, 'POST');
        if (expected) {
          expect(modelOf(response.body)).toEqual(expected);
          const row = await customerRow(t.dataSource, response.body.customer_id);
          expect(row.company_name).toBe(expected.company_name);
          expect(row.metadata).toEqual(expected.metadata);
        }
      }),
      { numRuns: 800 },
    );
  });
});
