import { REFERENCE_CUSTOMER_ID } from '../src/customers/customers.service';
import { createCustomer, customerRow } from './support/customers';
import { createTestApp, READ_KEY, TestApp, WRITE_KEY } from './support/test-app';

describe('Customers (e2e, real PostgreSQL)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const put = (id: string, body: unknown) =>
    t
      .http()
      .put(`/admin/customers/${id}`)
      .set('x-api-key', WRITE_KEY)
      .send(body as object);
  const get = (id: string) => t.http().get(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY);

  function expectProblem(response: { status: number; headers: Record<string, string>; body: any }, status: number) {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual(
      expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), errors: expect.any(Array) }),
    );
    return response.body.errors as { field: string; message: string }[];
  }

  describe("the reference's three curl examples", () => {
    beforeAll(async () => {
      await t.dataSource.query('DELETE FROM customers WHERE customer_id = $1', [REFERENCE_CUSTOMER_ID]);
      await t.dataSource.query(
        `INSERT INTO customers (customer_id, company_name, contact_email, tier, status, annual_commitment, annual_validation_limit,
           rate_limit_requests_per_second, rate_limit_burst)
         VALUES ($1, 'Acme Financial', 'compliance@acmefinancial.com', 'growth', 'active', 100000, 5000000, 50, 100)`,
        [REFERENCE_CUSTOMER_ID],
      );
    });

    it('Upgrade Tier: {"tier": "scale"} returns the reference response', async () => {
      const response = await put(REFERENCE_CUSTOMER_ID, { tier: 'scale' }).set('Content-Type', 'application/json');
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const { updated_at, ...rest } = response.body;
      expect(Object.keys(response.body).slice(0, 8)).toEqual([
        'customer_id',
        'company_name',
        'contact_email',
        'tier',
        'status',
        'annual_commitment',
        'annual_validation_limit',
        'rate_limit',
      ]);
      expect(rest).toMatchObject({
        customer_id: '550e8400-e29b-41d4-a716-446655440000',
        company_name: 'Acme Financial',
        contact_email: 'compliance@acmefinancial.com',
        tier: 'scale',
        status: 'active',
        annual_commitment: 500000,
        annual_validation_limit: 30000000,
        rate_limit: { requests_per_second: 200, burst: 400 },
      });
      expect(updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const row = await customerRow(t.dataSource, REFERENCE_CUSTOMER_ID);
      expect(row).toMatchObject({
        tier: 'scale',
        annual_commitment: 500000,
        annual_validation_limit: 30000000,
        rate_limit_requests_per_second: 200,
        rate_limit_burst: 400,
      });
    });

    it('Suspend Customer: {"status": "suspended"}', async () => {
      const response = await put(REFERENCE_CUSTOMER_ID, { status: 'suspended' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'suspended', tier: 'scale', annual_commitment: 500000 });
      expect((await customerRow(t.dataSource, REFERENCE_CUSTOMER_ID)).status).toBe('suspended');
    });

    it('Reactivate Customer: {"status": "active"}', async () => {
      const response = await put(REFERENCE_CUSTOMER_ID, { status: 'active' });
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('active');
      expect((await customerRow(t.dataSource, REFERENCE_CUSTOMER_ID)).status).toBe('active');
    });
  });

  describe('POST /admin/customers', () => {
    it('creates a starter, active customer by default, with the full customer object', async () => {
      const response = await t
        .http()
        .post('/admin/customers')
        .set('x-api-key', WRITE_KEY)
        .send({ company_name: '  Globex Payments  ', contact_email: 'Ops@Globex.Example' });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        customer_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        company_name: 'Globex Payments',
        contact_email: 'ops@globex.example',
        tier: 'starter',
        status: 'active',
        annual_commitment: 10000,
        annual_validation_limit: 500000,
        rate_limit: { requests_per_second: 10, burst: 20 },
        contract_start: null,
        contract_end: null,
        metadata: {},
        external_id: null,
        created_at: expect.stringMatching(/Z$/),
        updated_at: expect.stringMatching(/Z$/),
        archived_at: null,
        erased_at: null,
      });
      const row = await customerRow(t.dataSource, response.body.customer_id);
      expect(row).toMatchObject({ company_name: 'Globex Payments', contact_email: 'ops@globex.example', version: 1 });
    });

    it('requires company_name and contact_email, naming both', async () => {
      const response = await t.http().post('/admin/customers').set('x-api-key', WRITE_KEY).send({});
      const errors = expectProblem(response, 400);
      expect(errors.map((e) => e.field).sort()).toEqual(['company_name', 'contact_email']);
      expect(errors[0].message).toMatch(/required/);
    });

    it('creates a custom customer only with all three negotiated values', async () => {
      const missing = await t
        .http()
        .post('/admin/customers')
        .set('x-api-key', WRITE_KEY)
        .send({ company_name: 'Initech', contact_email: 'a@initech.example', tier: 'custom', annual_commitment: 5 });
      expect(expectProblem(missing, 400).map((e) => e.field)).toEqual(['annual_validation_limit', 'rate_limit']);

      const custom = await createCustomer(t, {
        tier: 'custom',
        annual_commitment: 2_500_000,
        annual_validation_limit: 250_000_000,
        rate_limit: { requests_per_second: 2500, burst: 5000 },
      });
      expect(custom).toMatchObject({
        tier: 'custom',
        annual_commitment: 2500000,
        annual_validation_limit: 250000000,
        rate_limit: { requests_per_second: 2500, burst: 5000 },
      });
    });

    it('rejects negotiated values for a standard tier', async () => {
      const response = await t
        .http()
        .post('/admin/customers')
        .set('x-api-key', WRITE_KEY)
        .send({ company_name: 'Initech', contact_email: 'a@initech.example', tier: 'scale', annual_commitment: 5 });
      const [error] = expectProblem(response, 400);
      expect(error.field).toBe('annual_commitment');
      expect(error.message).toMatch(/custom tier/);
    });
  });

  describe('GET /admin/customers/{customer_id}', () => {
    it('returns the customer', async () => {
      const customer = await createCustomer(t, { tier: 'growth' });
      const response = await get(customer.customer_id);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(customer);
    });

    it('is 404 for an unknown id and 400 for a non-UUID', async () => {
      expectProblem(await get('00000000-0000-4000-8000-000000000000'), 404);
      const [error] = expectProblem(await get('not-a-uuid'), 400);
      expect(error.field).toBe('customer_id');
    });
  });

  describe('PUT /admin/customers/{customer_id}', () => {
    it('{} returns 200 with the customer unchanged, and moves nothing in the database', async () => {
      const customer = await createCustomer(t);
      const before = await customerRow(t.dataSource, customer.customer_id);
      const response = await put(customer.customer_id, {});
      expect(response.status).toBe(200);
      expect(response.body).toEqual(customer);
      expect(await customerRow(t.dataSource, customer.customer_id)).toEqual(before);
    });

    it('a PUT with no body at all is the same as {}', async () => {
      const customer = await createCustomer(t);
      const response = await t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(customer);
    });

    it('changes only the provided fields; updated_at moves only on a real change', async () => {
      const customer = await createCustomer(t, { tier: 'growth', metadata: { region: 'eu' } });
      const before = await customerRow(t.dataSource, customer.customer_id);

      const same = await put(customer.customer_id, { tier: 'growth', company_name: customer.company_name });
      expect(same.status).toBe(200);
      expect(await customerRow(t.dataSource, customer.customer_id)).toEqual(before);

      const changed = await put(customer.customer_id, { company_name: 'Renamed Ltd' });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ ...customer, company_name: 'Renamed Ltd', updated_at: expect.any(String) });
      const after = await customerRow(t.dataSource, customer.customer_id);
      expect(after.company_name).toBe('Renamed Ltd');
      expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
      expect(after.version).toBe(before.version + 1);
      expect({ ...after, company_name: before.company_name, updated_at: before.updated_at, version: before.version }).toEqual(before);
    });

    it.each([
      ['tier', 'platinum', /tier must be one of: starter, growth, scale, enterprise, custom/],
      ['status', 'deleted', /status must be one of: active, suspended/],
    ])('rejects an unknown %s, listing the allowed values', async (field, value, message) => {
      const customer = await createCustomer(t);
      const [error] = expectProblem(await put(customer.customer_id, { [field]: value }), 400);
      expect(error).toEqual({ field, message: expect.stringMatching(message) });
    });

    it.each(['company_name', 'contact_email', 'tier', 'status'])('rejects %s: null', async (field) => {
      const customer = await createCustomer(t);
      const [error] = expectProblem(await put(customer.customer_id, { [field]: null }), 400);
      expect(error).toEqual({ field, message: `${field} may not be null` });
    });

    it('trims company_name and stores contact_email lower-case', async () => {
      const customer = await createCustomer(t);
      const response = await put(customer.customer_id, { company_name: '  Spaced Inc ', contact_email: ' Billing@Spaced.IO ' });
      expect(response.body).toMatchObject({ company_name: 'Spaced Inc', contact_email: 'billing@spaced.io' });
      expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({ company_name: 'Spaced Inc', contact_email: 'billing@spaced.io' });
    });

    it.each([
      ['company_name', '   '],
      ['company_name', 'x'.repeat(201)],
      ['company_name', 42],
      ['contact_email', 'not-an-email'],
      ['contact_email', 7],
    ])('rejects %s = %j', async (field, value) => {
      const customer = await createCustomer(t);
      const [error] = expectProblem(await put(customer.customer_id, { [field]: value }), 400);
      expect(error.field).toBe(field);
    });

    it('sets contract dates, documents their YYYY-MM-DD form, and clears one with null', async () => {
      const customer = await createCustomer(t);
      const set = await put(customer.customer_id, { contract_start: '2026-01-01', contract_end: '2026-12-31' });
      expect(set.body).toMatchObject({ contract_start: '2026-01-01', contract_end: '2026-12-31' });
      const cleared = await put(customer.customer_id, { contract_end: null });
      expect(cleared.body).toMatchObject({ contract_start: '2026-01-01', contract_end: null });
      expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({ contract_start: '2026-01-01', contract_end: null });
    });

    it.each(['2026-02-30', '2026-13-01', '2025-02-29', '26-01-01', '2026-01-01T00:00:00Z', 20260101])('rejects contract_start %j', async (value) => {
      const customer = await createCustomer(t);
      const [error] = expectProblem(await put(customer.customer_id, { contract_start: value }), 400);
      expect(error.field).toBe('contract_start');
      expect(error.message).toMatch(/YYYY-MM-DD/);
    });

    it('accepts 29 February in a leap year', async () => {
      const customer = await createCustomer(t);
      expect((await put(customer.customer_id, { contract_start: '2028-02-29' })).body.contract_start).toBe('2028-02-29');
    });

    it('rejects an end before the start, taking the stored date into account', async () => {
      const customer = await createCustomer(t, { contract_start: '2026-06-01' });
      const [endError] = expectProblem(await put(customer.customer_id, { contract_end: '2026-05-31' }), 400);
      expect(endError.field).toBe('contract_end');
      expect(endError.message).toMatch(/2026-06-01/);

      await put(customer.customer_id, { contract_end: '2026-12-31' }).expect(200);
      const [startError] = expectProblem(await put(customer.customer_id, { contract_start: '2027-01-01' }), 400);
      expect(startError.field).toBe('contract_start');
      expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({ contract_start: '2026-06-01', contract_end: '2026-12-31' });
      await put(customer.customer_id, { contract_start: '2026-12-31' }).expect(200);
    });

    it('merges metadata key by key; null removes a key; metadata: null removes all', async () => {
      const customer = await createCustomer(t, { metadata: { region: 'eu', seats: 5 } });
      const merged = await put(customer.customer_id, { metadata: { seats: 7, vip: true, region: null } });
      expect(merged.body.metadata).toEqual({ seats: 7, vip: true });
      expect((await customerRow(t.dataSource, customer.customer_id)).metadata).toEqual({ seats: 7, vip: true });
      const cleared = await put(customer.customer_id, { metadata: null });
      expect(cleared.body.metadata).toEqual({});
      expect((await customerRow(t.dataSource, customer.customer_id)).metadata).toEqual({});
    });

    it.each([
      ['an array', [1, 2]],
      ['a string', 'flat'],
      ['a nested object', { nested: { a: 1 } }],
      ['an array value', { list: [1] }],
      ['a string over 500 characters', { note: 'x'.repeat(501) }],
      ['a key over 40 characters', { ['k'.repeat(41)]: 1 }],
      ['more than 50 keys', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))],
      ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}')],
      ['a constructor key', { constructor: 'x' }],
    ])('rejects metadata with %s', async (_label, metadata) => {
      const customer = await createCustomer(t, { metadata: { kept: 'yes' } });
      const [error] = expectProblem(await put(customer.customer_id, { metadata }), 400);
      expect(error.field).toBe('metadata');
      expect((await customerRow(t.dataSource, customer.customer_id)).metadata).toEqual({ kept: 'yes' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('rejects a merge that would leave more than 50 keys', async () => {
      const customer = await createCustomer(t, { metadata: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`a${i}`, i])) });
      const [error] = expectProblem(await put(customer.customer_id, { metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`b${i}`, i])) }), 400);
      expect(error).toEqual({ field: 'metadata', message: expect.stringMatching(/at most 50 keys; this change would leave 51/) });
    });

    it('rejects unknown fields by name, and writes nothing when any field is bad', async () => {
      const customer = await createCustomer(t);
      const before = await customerRow(t.dataSource, customer.customer_id);
      const errors = expectProblem(await put(customer.customer_id, { company_name: 'Valid Name', tierr: 'scale', status: 'gone' }), 400);
      expect(errors.map((e) => e.field).sort()).toEqual(['status', 'tierr']);
      expect(errors.find((e) => e.field === 'tierr')!.message).toMatch(/not a field/);
      expect(await customerRow(t.dataSource, customer.customer_id)).toEqual(before);
    });

    it('is 404 for an unknown customer and 400 for a non-UUID id', async () => {
      expectProblem(await put('00000000-0000-4000-8000-000000000000', { tier: 'scale' }), 404);
      const [error] = expectProblem(await put('123', { tier: 'scale' }), 400);
      expect(error.field).toBe('customer_id');
    });

    it('answers malformed JSON and non-object bodies with 400 problem details', async () => {
      const customer = await createCustomer(t);
      const malformed = await t
        .http()
        .put(`/admin/customers/${customer.customer_id}`)
        .set('x-api-key', WRITE_KEY)
        .set('Content-Type', 'application/json')
        .send('{"tier": ');
      expectProblem(malformed, 400);
      expect(malformed.body.detail).toMatch(/not valid JSON/);
      expectProblem(await put(customer.customer_id, [{ tier: 'scale' }]), 400);
    });

    describe('tier policy', () => {
      it('a tier change sets commitment, validation limit and rate limit from the table in the same write', async () => {
        const customer = await createCustomer(t, { tier: 'starter' });
        const response = await put(customer.customer_id, { tier: 'enterprise' });
        expect(response.body).toMatchObject({
          annual_commitment: 1500000,
          annual_validation_limit: 120000000,
          rate_limit: { requests_per_second: 1000, burst: 2000 },
        });
        expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({
          tier: 'enterprise',
          annual_commitment: 1500000,
          annual_validation_limit: 120000000,
          rate_limit_requests_per_second: 1000,
          rate_limit_burst: 2000,
        });
      });

      it('custom keeps the current values unless new ones are negotiated', async () => {
        const customer = await createCustomer(t, { tier: 'scale' });
        const kept = await put(customer.customer_id, { tier: 'custom' });
        expect(kept.body).toMatchObject({
          tier: 'custom',
          annual_commitment: 500000,
          annual_validation_limit: 30000000,
          rate_limit: { requests_per_second: 200, burst: 400 },
        });
        const negotiated = await put(customer.customer_id, { annual_commitment: 750000, rate_limit: { requests_per_second: 300, burst: 600 } });
        expect(negotiated.body).toMatchObject({
          tier: 'custom',
          annual_commitment: 750000,
          annual_validation_limit: 30000000,
          rate_limit: { requests_per_second: 300, burst: 600 },
        });
        const back = await put(customer.customer_id, { tier: 'growth' });
        expect(back.body).toMatchObject({ annual_commitment: 100000, annual_validation_limit: 5000000, rate_limit: { requests_per_second: 50, burst: 100 } });
      });

      it('rejects negotiated fields unless the resulting tier is custom, naming each', async () => {
        const customer = await createCustomer(t, { tier: 'scale' });
        const errors = expectProblem(await put(customer.customer_id, { annual_validation_limit: 1, rate_limit: { requests_per_second: 1, burst: 1 } }), 400);
        expect(errors.map((e) => e.field)).toEqual(['annual_validation_limit', 'rate_limit']);
        expect(errors[0].message).toMatch(/custom tier.*tier is scale/);
        expect((await customerRow(t.dataSource, customer.customer_id)).annual_validation_limit).toBe(30000000);
      });

      it('validates negotiated values', async () => {
        const customer = await createCustomer(t, { tier: 'scale' });
        const errors = expectProblem(
          await put(customer.customer_id, { tier: 'custom', annual_commitment: -1, rate_limit: { requests_per_second: 0, burst: 'x' } }),
          400,
        );
        expect(errors.map((e) => e.field).sort()).toEqual(['annual_commitment', 'rate_limit.burst', 'rate_limit.requests_per_second']);
        const burst = expectProblem(await put(customer.customer_id, { tier: 'custom', rate_limit: { requests_per_second: 10, burst: 5 } }), 400);
        expect(burst[0].field).toBe('rate_limit.burst');
        expect((await customerRow(t.dataSource, customer.customer_id)).tier).toBe('scale');
      });
    });
  });

  describe('PATCH /admin/customers/{customer_id} and other methods', () => {
    it('PATCH is the same partial update as PUT, with merge-patch+json or json, ETag and event included', async () => {
      const customer = await createCustomer(t, { tier: 'growth', metadata: { keep: 'yes', drop: 'x' } });
      const patched = await t
        .http()
        .patch(`/admin/customers/${customer.customer_id}`)
        .set('x-api-key', WRITE_KEY)
        .set('content-type', 'application/merge-patch+json')
        .send(JSON.stringify({ tier: 'scale', metadata: { drop: null } }))
        .expect(200);
      expect(patched.body).toMatchObject({ tier: 'scale', annual_commitment: 500000, metadata: { keep: 'yes' } });
      expect(patched.headers.etag).toBe('"v2"');
      const json = await t
        .http()
        .patch(`/admin/customers/${customer.customer_id}`)
        .set('x-api-key', WRITE_KEY)
        .set('if-match', '"v2"')
        .send({ status: 'suspended' });
      expect(json.status).toBe(200);
      expect(json.body.status).toBe('suspended');
      const stale = await t
        .http()
        .patch(`/admin/customers/${customer.customer_id}`)
        .set('x-api-key', WRITE_KEY)
        .set('if-match', '"v2"')
        .send({ status: 'active' });
      expectProblem(stale, 412);
      expect(
        expectProblem(await t.http().patch(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).send({ tier: 'gold' }), 400)[0].field,
      ).toBe('tier');
      expectProblem(await t.http().patch(`/admin/customers/${customer.customer_id}`).set('x-api-key', READ_KEY).send({ tier: 'scale' }), 403);
      const events = await t.dataSource.query('SELECT type FROM customer_events WHERE customer_id = $1', [customer.customer_id]);
      expect(events).toHaveLength(3);
    });

    it.each([
      ['post', '/admin/customers/550e8400-e29b-41d4-a716-446655440000', 'DELETE, GET, HEAD, PATCH, PUT'],
      ['get', '/admin/customers/550e8400-e29b-41d4-a716-446655440000/restore', 'POST'],
      ['put', '/admin/customers', 'GET, HEAD, POST'],
      ['delete', '/admin/tiers', 'GET, HEAD'],
    ] as const)('%s %s is 405 with Allow: %s and a problem naming the methods', async (method, path, allow) => {
      const response = await t.http()[method](path).set('x-api-key', WRITE_KEY);
      const errors = expectProblem(response, 405);
      expect(response.headers.allow).toBe(allow);
      expect(response.body.detail).toContain(allow);
      expect(errors).toEqual([{ field: 'method', message: `must be one of ${allow}` }]);
    });

    it('a path the API does not have is still 404', async () => {
      expectProblem(await t.http().delete('/admin/nothing-here').set('x-api-key', WRITE_KEY), 404);
    });
  });

  describe('authentication', () => {
    it.each([
      ['no key', undefined],
      ['a wrong key', 'nope'],
    ])('answers %s with 401 problem details', async (_label, key) => {
      const customer = await createCustomer(t);
      const request = t.http().put(`/admin/customers/${customer.customer_id}`).send({ tier: 'scale' });
      if (key) request.set('x-api-key', key);
      const response = await request;
      const [error] = expectProblem(response, 401);
      expect(error.field).toBe('x-api-key');
      expect(JSON.stringify(response.body)).not.toContain(WRITE_KEY);
      expect((await customerRow(t.dataSource, customer.customer_id)).tier).toBe('starter');
    });

    it('lets a read key GET but not PUT (403)', async () => {
      const customer = await createCustomer(t);
      await t.http().get(`/admin/customers/${customer.customer_id}`).set('x-api-key', READ_KEY).expect(200);
      expectProblem(await t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', READ_KEY).send({ tier: 'scale' }), 403);
    });
  });

  it('GET /admin/tiers returns the tier table as data', async () => {
    const response = await t.http().get('/admin/tiers').set('x-api-key', READ_KEY).expect(200);
    expect(response.body.data).toEqual([
      { tier: 'starter', negotiated: false, annual_commitment: 10000, annual_validation_limit: 500000, rate_limit: { requests_per_second: 10, burst: 20 } },
      { tier: 'growth', negotiated: false, annual_commitment: 100000, annual_validation_limit: 5000000, rate_limit: { requests_per_second: 50, burst: 100 } },
      { tier: 'scale', negotiated: false, annual_commitment: 500000, annual_validation_limit: 30000000, rate_limit: { requests_per_second: 200, burst: 400 } },
      {
        tier: 'enterprise',
        negotiated: false,
        annual_commitment: 1500000,
        annual_validation_limit: 120000000,
        rate_limit: { requests_per_second: 1000, burst: 2000 },
      },
      { tier: 'custom', negotiated: true, annual_commitment: null, annual_validation_limit: null, rate_limit: null },
    ]);
  });

  it('GET /health answers without a key', async () => {
    const response = await t.http().get('/health').expect(200);
    expect(response.body.status).toBe('ok');
  });
});
