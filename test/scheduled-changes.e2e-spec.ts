import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createCustomer, customerRow } from './support/customers';
import { createTestApp, READ_KEY, TestApp, WRITE_KEY } from './support/test-app';
import { createIsolatedDatabase } from './support/test-database';
import { waitFor } from './support/wait-for';

type Change = { scheduled_change_id: string; status: string; failure: string | null; applied_at: string | null; effective_at: string };

/** Changes scheduled for a later time, applied by the worker of every instance, on a database of this file's own. */
describe('Scheduled changes (e2e)', () => {
  let url: string;
  let drop: () => Promise<void>;
  let t: TestApp;
  beforeAll(async () => {
    const database = await createIsolatedDatabase('scheduled');
    url = database.url;
    drop = () => database.drop();
    t = await createTestApp({}, url);
  });
  afterAll(async () => {
    await t.close();
    await drop();
  });

  const path = (customerId: string, changeId = '') => `/admin/customers/${customerId}/scheduled-changes${changeId ? `/${changeId}` : ''}`;
  const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
  const schedule = (app: TestApp, customerId: string, body: object) => app.http().post(path(customerId)).set('x-api-key', WRITE_KEY).send(body);
  const getChange = async (app: TestApp, customerId: string, changeId: string): Promise<Change> =>
    (await app.http().get(path(customerId, changeId)).set('x-api-key', READ_KEY).expect(200)).body as Change;
  const eventsBy = (actorPrefix: string, customerId: string) =>
    t.dataSource.query<{ type: string; actor: string; changes: Record<string, { from: unknown; to: unknown }> }[]>(
      'SELECT type, actor, changes FROM customer_events WHERE customer_id = $1 AND actor LIKE $2 ORDER BY sequence',
      [customerId, `${actorPrefix}%`],
    );
  /** What this instance's worker applied (scheduled_changes_total). */
  const appliedCount = async (app: TestApp) =>
    Number(/^scheduled_changes_total\{outcome="applied"\} (\d+)$/m.exec((await app.http().get('/metrics').set('x-api-key', READ_KEY).expect(200)).text)![1]);
  const settled = (app: TestApp, customerId: string, changeId: string, timeoutMs = 5000) =>
    waitFor(async () => (await getChange(app, customerId, changeId)).status !== 'pending', `scheduled change ${changeId} to leave pending`, timeoutMs);

  describe('scheduling, reading and canceling', () => {
    it('POST answers 201 with the pending change; GET reads it; the list is newest first with a status filter; a read key reads but cannot write', async () => {
      const customer = await createCustomer(t);
      const first = await schedule(t, customer.customer_id, { effective_at: '2027-03-31T00:00:00Z', changes: { tier: 'growth' } }).expect(201);
      expect(first.body).toEqual({
        scheduled_change_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        customer_id: customer.customer_id,
        effective_at: '2027-03-31T00:00:00Z',
        changes: { tier: 'growth' },
        status: 'pending',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        applied_at: null,
        failure: null,
      });
      const second = await schedule(t, customer.customer_id, { effective_at: '2027-06-30T12:00:00+02:00', changes: { status: 'suspended' } }).expect(201);
      expect(second.body.effective_at).toBe('2027-06-30T10:00:00Z');
      expect(await getChange(t, customer.customer_id, first.body.scheduled_change_id)).toEqual(first.body);

      const list = await t.http().get(path(customer.customer_id)).set('x-api-key', READ_KEY).expect(200);
      expect(list.body.data.map((c: Change) => c.scheduled_change_id)).toEqual([second.body.scheduled_change_id, first.body.scheduled_change_id]);
      const paged = await t.http().get(path(customer.customer_id)).query({ limit: 1 }).set('x-api-key', READ_KEY).expect(200);
      expect(paged.body).toMatchObject({ has_more: true, data: [{ scheduled_change_id: second.body.scheduled_change_id }] });
      const next = await t
        .http()
        .get(path(customer.customer_id))
        .query({ limit: 1, starting_after: paged.body.next_cursor })
        .set('x-api-key', READ_KEY)
        .expect(200);
      expect(next.body).toMatchObject({ has_more: false, data: [{ scheduled_change_id: first.body.scheduled_change_id }] });

      await t.http().delete(path(customer.customer_id, first.body.scheduled_change_id)).set('x-api-key', WRITE_KEY).expect(200);
      const canceled = await t.http().get(path(customer.customer_id)).query({ status: 'canceled' }).set('x-api-key', READ_KEY).expect(200);
      expect(canceled.body.data.map((c: Change) => c.scheduled_change_id)).toEqual([first.body.scheduled_change_id]);

      await t
        .http()
        .post(path(customer.customer_id))
        .set('x-api-key', READ_KEY)
        .send({ effective_at: inMs(60_000), changes: { tier: 'scale' } })
        .expect(403);
      await t.http().delete(path(customer.customer_id, second.body.scheduled_change_id)).set('x-api-key', READ_KEY).expect(403);
    });

    it('bad input is a 400 naming the field, checked as a PUT would be; nothing is stored', async () => {
      const customer = await createCustomer(t, { contract_start: '2027-01-01' });
      const refused = async (body: unknown, field: string, message?: RegExp) => {
        const response = await schedule(t, customer.customer_id, body as object).expect(400);
        expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
        if (message) expect(response.body.errors.find((e: { field: string }) => e.field === field).message).toMatch(message);
      };
      await refused({ effective_at: inMs(-1000), changes: { tier: 'growth' } }, 'effective_at', /in the future/);
      await refused({ effective_at: '2027-03-31', changes: { tier: 'growth' } }, 'effective_at', /time zone/);
      await refused({ effective_at: '2027-03-31T00:00:00', changes: { tier: 'growth' } }, 'effective_at', /time zone/);
      await refused({ effective_at: '2027-02-30T00:00:00Z', changes: { tier: 'growth' } }, 'effective_at');
      await refused({ effective_at: 1798675200, changes: { tier: 'growth' } }, 'effective_at');
      await refused({ effective_at: '2040-01-01T00:00:00Z', changes: { tier: 'growth' } }, 'effective_at', /10 years/);
      await refused({ changes: { tier: 'growth' } }, 'effective_at', /required/);
      await refused({ effective_at: inMs(60_000) }, 'changes', /required/);
      await refused({ effective_at: inMs(60_000), changes: {} }, 'changes', /at least one field/);
      await refused({ effective_at: inMs(60_000), changes: 'growth' }, 'changes');
      await refused({ effective_at: inMs(60_000), changes: { tier: 'platinum' } }, 'changes.tier', /one of/);
      await refused({ effective_at: inMs(60_000), changes: { tierr: 'growth' } }, 'changes.tierr', /not a field/);
      await refused({ effective_at: inMs(60_000), changes: { tier: 'growth' }, when: 'later' }, 'when', /not a field/);
      await refused({ effective_at: inMs(60_000), changes: { annual_commitment: 5 } }, 'changes.annual_commitment', /custom tier/);
      await refused({ effective_at: inMs(60_000), changes: { contract_end: '2026-06-30' } }, 'changes.contract_end', /before contract_start/);
      await refused({ effective_at: inMs(60_000), changes: { rate_limit: { requests_per_second: 5 }, tier: 'custom' } }, 'changes.rate_limit.burst');
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM scheduled_changes WHERE customer_id = $1', [customer.customer_id]);
      expect(n).toBe(0);
    });

    it('an unknown customer or change is 404, a malformed id 400; an archived customer is 409 (restore it first)', async () => {
      const customer = await createCustomer(t);
      const body = { effective_at: inMs(60_000), changes: { tier: 'growth' } };
      expect((await schedule(t, randomUUID(), body).expect(404)).body.errors).toEqual([{ field: 'customer_id', message: 'no customer with this id' }]);
      await t.http().get(path(randomUUID())).set('x-api-key', READ_KEY).expect(404);
      const missing = await t.http().get(path(customer.customer_id, randomUUID())).set('x-api-key', READ_KEY).expect(404);
      expect(missing.body.errors[0].field).toBe('scheduled_change_id');
      await t.http().delete(path(customer.customer_id, randomUUID())).set('x-api-key', WRITE_KEY).expect(404);
      expect((await t.http().get(path(customer.customer_id, 'nope')).set('x-api-key', READ_KEY).expect(400)).body.errors[0].field).toBe('scheduled_change_id');
      await t.http().get(path(customer.customer_id)).query({ status: 'done' }).set('x-api-key', READ_KEY).expect(400);

      // Another customer's change is not found under this one.
      const other = await createCustomer(t);
      const theirs = await schedule(t, other.customer_id, body).expect(201);
      await t.http().get(path(customer.customer_id, theirs.body.scheduled_change_id)).set('x-api-key', READ_KEY).expect(404);
      await t.http().delete(path(customer.customer_id, theirs.body.scheduled_change_id)).set('x-api-key', WRITE_KEY).expect(404);

      await t.http().delete(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).expect(200);
      const archived = await schedule(t, customer.customer_id, body).expect(409);
      expect(archived.body.title).toBe('Customer archived');
    });
  });

  describe('applying', () => {
    it('applies a change within a second of effective_at, once, as a PUT: version, event with the actor scheduled-change:{id}; then it cannot be canceled', async () => {
      const customer = await createCustomer(t, { tier: 'scale' });
      const created = await schedule(t, customer.customer_id, { effective_at: inMs(1500), changes: { tier: 'growth' } }).expect(201);
      const id = created.body.scheduled_change_id as string;
      await settled(t, customer.customer_id, id);
      // applied_at is the applying transaction's start, with microseconds (the API shows whole seconds).
      const [{ lag }] = await t.dataSource.query<{ lag: number }[]>(
        'SELECT EXTRACT(EPOCH FROM applied_at - effective_at)::float8 AS lag FROM scheduled_changes WHERE scheduled_change_id = $1',
        [id],
      );
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(1);
      const change = await getChange(t, customer.customer_id, id);
      expect(change).toMatchObject({ status: 'applied', failure: null, applied_at: expect.stringMatching(/Z$/) });

      const row = await customerRow(t.dataSource, customer.customer_id);
      expect(row).toMatchObject({ tier: 'growth', version: 2 });
      const events = await eventsBy('scheduled-change:', customer.customer_id);
      expect(events).toEqual([
        { type: 'customer.updated', actor: `scheduled-change:${id}`, changes: expect.objectContaining({ tier: { from: 'scale', to: 'growth' } }) },
      ]);

      const refused = await t.http().delete(path(customer.customer_id, id)).set('x-api-key', WRITE_KEY).expect(409);
      expect(refused.body).toMatchObject({ title: 'Scheduled change not pending', errors: [{ field: 'scheduled_change_id' }] });
      expect(refused.body.detail).toMatch(/applied at/);
    });

    it("applies a customer's changes in effective_at order, not the order they were scheduled in; a canceled one never applies", async () => {
      const customer = await createCustomer(t);
      const at = Date.now() + 1500;
      const later = await schedule(t, customer.customer_id, {
        effective_at: new Date(at + 50).toISOString(),
        changes: { metadata: { step: 'second' } },
      }).expect(201);
      const earlier = await schedule(t, customer.customer_id, { effective_at: new Date(at).toISOString(), changes: { metadata: { step: 'first' } } }).expect(
        201,
      );
      const canceled = await schedule(t, customer.customer_id, { effective_at: new Date(at + 20).toISOString(), changes: { status: 'suspended' } }).expect(201);
      const cancel = await t.http().delete(path(customer.customer_id, canceled.body.scheduled_change_id)).set('x-api-key', WRITE_KEY).expect(200);
      expect(cancel.body.status).toBe('canceled');
      expect((await t.http().delete(path(customer.customer_id, canceled.body.scheduled_change_id)).set('x-api-key', WRITE_KEY).expect(200)).body.status).toBe(
        'canceled',
      );
      await settled(t, customer.customer_id, later.body.scheduled_change_id);
      await settled(t, customer.customer_id, earlier.body.scheduled_change_id);

      const events = await eventsBy('scheduled-change:', customer.customer_id);
      expect(events.map((e) => e.actor)).toEqual([
        `scheduled-change:${earlier.body.scheduled_change_id}`,
        `scheduled-change:${later.body.scheduled_change_id}`,
      ]);
      expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({ metadata: { step: 'second' }, status: 'active' });
      expect((await getChange(t, customer.customer_id, canceled.body.scheduled_change_id)).status).toBe('canceled');
    });

    it('a change that cannot apply then fails with the reason and leaves the customer untouched (archived meanwhile; contract dates no longer ordered)', async () => {
      const archivedCustomer = await createCustomer(t);
      const datedCustomer = await createCustomer(t, { contract_start: '2027-01-01' });
      const at = new Date(Date.now() + 1500).toISOString();
      const toArchived = await schedule(t, archivedCustomer.customer_id, { effective_at: at, changes: { tier: 'scale' } }).expect(201);
      const toDated = await schedule(t, datedCustomer.customer_id, { effective_at: at, changes: { contract_end: '2027-06-30' } }).expect(201);
      await t.http().delete(`/admin/customers/${archivedCustomer.customer_id}`).set('x-api-key', WRITE_KEY).expect(200);
      await t.http().put(`/admin/customers/${datedCustomer.customer_id}`).set('x-api-key', WRITE_KEY).send({ contract_start: '2027-09-01' }).expect(200);

      await settled(t, archivedCustomer.customer_id, toArchived.body.scheduled_change_id);
      await settled(t, datedCustomer.customer_id, toDated.body.scheduled_change_id);
      const archivedChange = await getChange(t, archivedCustomer.customer_id, toArchived.body.scheduled_change_id);
      expect(archivedChange).toMatchObject({ status: 'failed', applied_at: null });
      expect(archivedChange.failure).toMatch(/archived/);
      const datedChange = await getChange(t, datedCustomer.customer_id, toDated.body.scheduled_change_id);
      expect(datedChange.status).toBe('failed');
      expect(datedChange.failure).toMatch(/contract_end \(2027-06-30\) must not be before contract_start \(2027-09-01\)/);

      expect(await customerRow(t.dataSource, archivedCustomer.customer_id)).toMatchObject({ tier: 'starter', version: 2 });
      expect(await customerRow(t.dataSource, datedCustomer.customer_id)).toMatchObject({ contract_end: null, version: 2 });
      expect(await eventsBy('scheduled-change:', archivedCustomer.customer_id)).toEqual([]);
      expect(await eventsBy('scheduled-change:', datedCustomer.customer_id)).toEqual([]);
      const refused = await t.http().delete(path(datedCustomer.customer_id, toDated.body.scheduled_change_id)).set('x-api-key', WRITE_KEY).expect(409);
      expect(refused.body.detail).toMatch(/failed/);
    });

    it('erasure scrubs personal data from the changes scheduled for the customer and fails the pending ones', async () => {
      const customer = await createCustomer(t);
      await schedule(t, customer.customer_id, {
        effective_at: '2027-03-31T00:00:00Z',
        changes: { company_name: 'Secret Name Ltd', contact_email: 'secret@person.example', metadata: { owner: 'Jane Secret' }, tier: 'growth' },
      }).expect(201);
      await t.http().delete(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).expect(200);
      await t.http().post(`/admin/customers/${customer.customer_id}/erase`).set('x-api-key', WRITE_KEY).expect(200);
      const rows = await t.dataSource.query<{ changes: object; status: string; failure: string }[]>(
        'SELECT changes, status, failure FROM scheduled_changes WHERE customer_id = $1',
        [customer.customer_id],
      );
      expect(rows).toEqual([
        {
          changes: { company_name: 'Erased customer', contact_email: `erased+${customer.customer_id}@erased.invalid`, metadata: {}, tier: 'growth' },
          status: 'failed',
          failure: expect.stringMatching(/erased/),
        },
      ]);
      expect(JSON.stringify(await t.dataSource.query('SELECT * FROM scheduled_changes'))).not.toMatch(/Secret/);
    });

    it('with two instances running, a change scheduled two seconds ahead is applied exactly once', async () => {
      const second = await createTestApp({}, url);
      try {
        const customers = await Promise.all(Array.from({ length: 6 }, () => createCustomer(t)));
        const appliedBefore = await appliedCount(t);
        const at = new Date(Date.now() + 2000).toISOString();
        const changes = await Promise.all(
          customers.map(
            async (customer, index) =>
              (await schedule(index % 2 ? second : t, customer.customer_id, { effective_at: at, changes: { tier: 'enterprise' } }).expect(201)).body as Change,
          ),
        );
        for (const [index, change] of changes.entries()) await settled(t, customers[index].customer_id, change.scheduled_change_id);
        // Each instance counts what it applied: together, each change once.
        expect((await appliedCount(t)) - appliedBefore + (await appliedCount(second))).toBe(customers.length);
        for (const customer of customers) {
          expect(await eventsBy('scheduled-change:', customer.customer_id)).toHaveLength(1);
          expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({ tier: 'enterprise', version: 2 });
        }
      } finally {
        await second.close();
      }
    });

    it('a restart between scheduling and the due time delays the change and loses none; metrics show pending changes and the lag', async () => {
      const database = await createIsolatedDatabase('scheduled_restart');
      let app = await createTestApp({}, database.url);
      try {
        const customer = await createCustomer(app);
        const created = await schedule(app, customer.customer_id, {
          effective_at: new Date(Date.now() + 1000).toISOString(),
          changes: { tier: 'growth' },
        }).expect(201);
        const metrics = (await app.http().get('/metrics').set('x-api-key', READ_KEY).expect(200)).text;
        expect(metrics).toMatch(/^scheduled_changes_pending 1$/m);
        await app.close();

        // Down past the due time: nothing applies it.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const client = new Client({ connectionString: database.url });
        await client.connect();
        const { rows } = await client.query<{ status: string }>('SELECT status FROM scheduled_changes WHERE scheduled_change_id = $1', [
          created.body.scheduled_change_id,
        ]);
        await client.end();
        expect(rows).toEqual([{ status: 'pending' }]);

        app = await createTestApp({}, database.url);
        await settled(app, customer.customer_id, created.body.scheduled_change_id, 3000);
        expect((await getChange(app, customer.customer_id, created.body.scheduled_change_id)).status).toBe('applied');
        expect((await customerRow(app.dataSource, customer.customer_id)).tier).toBe('growth');
        const after = (await app.http().get('/metrics').set('x-api-key', READ_KEY).expect(200)).text;
        expect(after).toMatch(/^scheduled_changes_pending 0$/m);
        expect(after).toMatch(/^scheduled_changes_oldest_due_lag_seconds 0$/m);
        expect(after).toMatch(/^scheduled_changes_total\{outcome="applied"\} 1$/m);
      } finally {
        await app.close();
        await database.drop();
      }
    });
  });
});
