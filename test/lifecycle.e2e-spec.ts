import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CUSTOMER_EVENTS_CHANNEL } from '../src/events/customer-event-relay';
import { createCustomer, customerRow } from './support/customers';
import { createTestApp, READ_KEY, TestApp, WRITE_KEY } from './support/test-app';
import { createIsolatedDatabase } from './support/test-database';
import { waitFor } from './support/wait-for';

/** Archive, restore, erase, external ids and metadata filters, on real PostgreSQL. */
describe('Customer lifecycle (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(async () => t.close());

  const path = (id: string, action = '') => `/admin/customers/${id}${action}`;
  const archive = (id: string) => t.http().delete(path(id)).set('x-api-key', WRITE_KEY);
  const restore = (id: string) => t.http().post(path(id, '/restore')).set('x-api-key', WRITE_KEY);
  const erase = (id: string) => t.http().post(path(id, '/erase')).set('x-api-key', WRITE_KEY);
  const put = (id: string, body: object) => t.http().put(path(id)).set('x-api-key', WRITE_KEY).send(body);
  const get = (id: string) => t.http().get(path(id)).set('x-api-key', READ_KEY);
  const list = (query: Record<string, string> | string) => t.http().get('/admin/customers').query(query).set('x-api-key', READ_KEY);
  const eventTypes = async (id: string) =>
    (await t.dataSource.query<{ type: string }[]>('SELECT type FROM customer_events WHERE customer_id = $1 ORDER BY sequence', [id])).map((e) => e.type);

  describe('archive and restore', () => {
    it('every representation has archived_at, erased_at and external_id, null for a live customer', async () => {
      const customer = await createCustomer(t);
      expect(customer).toMatchObject({ archived_at: null, erased_at: null, external_id: null });
      expect((await get(customer.customer_id).expect(200)).body).toMatchObject({ archived_at: null, erased_at: null });
    });

    it('DELETE archives (200, archived_at set, one event), again changes nothing; GET still reads it; PUT is 409 until restored', async () => {
      const customer = await createCustomer(t);
      const archived = await archive(customer.customer_id).expect(200);
      expect(archived.body.archived_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(archived.headers.etag).toBe('"v2"');
      const again = await archive(customer.customer_id).expect(200);
      expect(again.body.archived_at).toBe(archived.body.archived_at);
      expect(again.headers.etag).toBe('"v2"');
      expect(await eventTypes(customer.customer_id)).toEqual(['customer.created', 'customer.archived']);
      expect((await get(customer.customer_id).expect(200)).body.archived_at).toBe(archived.body.archived_at);

      const refused = await put(customer.customer_id, { tier: 'scale' }).expect(409);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
      expect(refused.body).toMatchObject({ title: 'Customer archived', errors: [{ field: 'customer_id' }] });
      expect(refused.body.detail).toMatch(/restore it first/);
      await t.http().patch(path(customer.customer_id)).set('x-api-key', WRITE_KEY).send({ tier: 'scale' }).expect(409);
      expect((await customerRow(t.dataSource, customer.customer_id)).tier).toBe('starter');

      const restored = await restore(customer.customer_id).expect(200);
      expect(restored.body.archived_at).toBeNull();
      await restore(customer.customer_id).expect(200);
      expect(await eventTypes(customer.customer_id)).toEqual(['customer.created', 'customer.archived', 'customer.restored']);
      await put(customer.customer_id, { tier: 'scale' }).expect(200);
    });

    it('the list leaves archived customers out unless archived=true (only them) or any; a bad value is 400 naming archived', async () => {
      const tag = randomUUID();
      const live = await createCustomer(t, { metadata: { batch: tag } });
      const gone = await createCustomer(t, { metadata: { batch: tag } });
      await archive(gone.customer_id).expect(200);
      const ids = async (query: Record<string, string>) =>
        ((await list({ 'metadata[batch]': tag, ...query }).expect(200)).body.data as { customer_id: string }[]).map((c) => c.customer_id);
      expect(await ids({})).toEqual([live.customer_id]);
      expect(await ids({ archived: 'false' })).toEqual([live.customer_id]);
      expect(await ids({ archived: 'true' })).toEqual([gone.customer_id]);
      expect(await ids({ archived: 'any' })).toEqual([gone.customer_id, live.customer_id]);
      const bad = await list({ archived: 'maybe' }).expect(400);
      expect(bad.body.errors).toEqual([{ field: 'archived', message: 'archived must be one of: false, true, any' }]);
    });

    it('a read key cannot archive, restore or erase; an unknown customer is 404', async () => {
      const customer = await createCustomer(t);
      await t.http().delete(path(customer.customer_id)).set('x-api-key', READ_KEY).expect(403);
      await t.http().post(path(customer.customer_id, '/restore')).set('x-api-key', READ_KEY).expect(403);
      await archive(randomUUID()).expect(404);
      await restore(randomUUID()).expect(404);
      await erase(randomUUID()).expect(404);
    });

    it('concurrent archive, restore and PUT on one customer serialise: one event per real change, none lost', async () => {
      const customer = await createCustomer(t);
      const results = await Promise.all([
        archive(customer.customer_id),
        restore(customer.customer_id),
        archive(customer.customer_id),
        put(customer.customer_id, { metadata: { n: 1 } }),
        restore(customer.customer_id),
      ]);
      for (const result of results) expect([200, 409]).toContain(result.status);
      const row = await customerRow(t.dataSource, customer.customer_id);
      const types = await eventTypes(customer.customer_id);
      expect(row.version).toBe(types.length);
    });
  });

  describe('erasure', () => {
    it('erases only an archived customer, scrubs its events, snapshots and idempotent responses in the tables, and cannot be undone', async () => {
      const key = `erase-${randomUUID()}`;
      const createOnce = () =>
        t
          .http()
          .post('/admin/customers')
          .set('x-api-key', WRITE_KEY)
          .set('Idempotency-Key', key)
          .send({
            company_name: 'Private Person GmbH',
            contact_email: 'jane.doe@private.example',
            metadata: { phone: '+49 555 0100' },
            external_id: `crm-${key}`,
          });
      const created = await createOnce().expect(201);
      const id = created.body.customer_id as string;
      await put(id, { company_name: 'Private Person AG', contact_email: 'john.doe@private.example' }).expect(200);

      const refused = await erase(id).expect(409);
      expect(refused.body).toMatchObject({ title: 'Customer not archived' });
      await archive(id).expect(200);
      const erased = await erase(id).expect(200);
      expect(erased.body).toMatchObject({
        company_name: 'Erased customer',
        contact_email: `erased+${id}@erased.invalid`,
        metadata: {},
        external_id: null,
        erased_at: expect.stringMatching(/Z$/),
      });
      await erase(id).expect(200);
      expect(await eventTypes(id)).toEqual(['customer.created', 'customer.updated', 'customer.archived', 'customer.erased']);

      const personal = ['Private Person', 'jane.doe', 'john.doe', '+49 555 0100', `crm-${key}`];
      const tables = JSON.stringify([
        await t.dataSource.query('SELECT * FROM customers WHERE customer_id = $1', [id]),
        await t.dataSource.query('SELECT * FROM customer_events WHERE customer_id = $1', [id]),
        await t.dataSource.query(`SELECT * FROM idempotency_keys WHERE response_body->>'customer_id' = $1`, [id]),
        await t.dataSource.query('SELECT * FROM customer_metadata_values WHERE customer_id = $1', [id]),
      ]);
      for (const value of personal) expect(tables).not.toContain(value);
      expect(tables).toContain('Erased customer');

      const replay = await createOnce();
      expect(JSON.stringify(replay.body)).not.toContain('Private Person');

      const events = await t.http().get(path(id, '/events')).set('x-api-key', READ_KEY).expect(200);
      for (const value of personal) expect(JSON.stringify(events.body)).not.toContain(value);
      const erasedEvent = events.body.data[0];
      expect(erasedEvent.type).toBe('customer.erased');

      expect((await restore(id).expect(409)).body.title).toBe('Customer erased');
      expect((await put(id, { tier: 'scale' }).expect(409)).body.title).toBe('Customer erased');
      await expect(t.dataSource.query('UPDATE customer_events SET actor = $1 WHERE customer_id = $2', ['mallory', id])).rejects.toThrow(/append-only/);
    });
  });

  describe('events', () => {
    it('archive, restore and erase are published on the LISTEN channel and in the events list, in order', async () => {
      const listener = new Client({ connectionString: process.env.DATABASE_URL });
      await listener.connect();
      const heard: { customer_id: string; type: string }[] = [];
      listener.on('notification', (message) => heard.push(JSON.parse(message.payload!)));
      await listener.query(`LISTEN ${CUSTOMER_EVENTS_CHANNEL}`);
      try {
        const customer = await createCustomer(t);
        const id = customer.customer_id as string;
        await archive(id).expect(200);
        await restore(id).expect(200);
        await archive(id).expect(200);
        await erase(id).expect(200);
        const expected = ['customer.created', 'customer.archived', 'customer.restored', 'customer.archived', 'customer.erased'];
        await waitFor(() => heard.filter((event) => event.customer_id === id).length === expected.length, 'five notifications');
        expect(heard.filter((event) => event.customer_id === id).map((event) => event.type)).toEqual(expected);
        const listed = await t.http().get(path(id, '/events')).set('x-api-key', READ_KEY).expect(200);
        expect(listed.body.data.map((event: { type: string }) => event.type)).toEqual([...expected].reverse());
        expect(listed.body.data[0].changes).toEqual({ erased_at: { from: null, to: expect.stringMatching(/Z$/) } });
      } finally {
        await listener.end();
      }
    });
  });

  describe('retention', () => {
    it('CUSTOMER_ERASE_ARCHIVED_AFTER_DAYS erases customers archived longer ago, exactly once with two instances starting together', async () => {
      const database = await createIsolatedDatabase('retention');
      const apps: TestApp[] = [];
      try {
        const first = await createTestApp({}, database.url);
        apps.push(first);
        const old = await createCustomer(first, { company_name: 'Old Archived Co' });
        const recent = await createCustomer(first, { company_name: 'Recent Archived Co' });
        for (const customer of [old, recent]) await first.http().delete(path(customer.customer_id)).set('x-api-key', WRITE_KEY).expect(200);
        await first.dataSource.query(`UPDATE customers SET archived_at = now() - interval '3 days' WHERE customer_id = $1`, [old.customer_id]);
        await first.close();
        apps.pop();

        apps.push(...(await Promise.all([1, 2].map(() => createTestApp({ CUSTOMER_ERASE_ARCHIVED_AFTER_DAYS: '2' }, database.url)))));
        const [a] = apps;
        await waitFor(async () => (await customerRow(a.dataSource, old.customer_id)).erased_at !== null, 'the old customer erased');
        await new Promise((resolve) => setTimeout(resolve, 300));
        const erasures = await a.dataSource.query(`SELECT actor FROM customer_events WHERE customer_id = $1 AND type = 'customer.erased'`, [old.customer_id]);
        expect(erasures).toEqual([{ actor: 'system:retention' }]);
        expect((await customerRow(a.dataSource, old.customer_id)).company_name).toBe('Erased customer');
        expect((await customerRow(a.dataSource, recent.customer_id)).erased_at).toBeNull();
      } finally {
        for (const app of apps) await app.close();
        await database.drop();
      }
    });
  });

  describe('external ids', () => {
    it('set on create and update, found by exact match, cleared by null, unique: a clash is 409 naming the holder', async () => {
      const externalId = `crm-${randomUUID()}`;
      const holder = await createCustomer(t, { external_id: externalId });
      expect(holder.external_id).toBe(externalId);
      const found = await list({ external_id: externalId }).expect(200);
      expect(found.body.data.map((c: { customer_id: string }) => c.customer_id)).toEqual([holder.customer_id]);
      expect((await list({ external_id: externalId.toUpperCase() }).expect(200)).body.data).toEqual([]);

      const other = await createCustomer(t);
      const clash = await put(other.customer_id, { external_id: externalId }).expect(409);
      expect(clash.body).toMatchObject({ title: 'External id taken', errors: [{ field: 'external_id' }] });
      expect(clash.body.detail).toContain(holder.customer_id);
      const createClash = await t
        .http()
        .post('/admin/customers')
        .set('x-api-key', WRITE_KEY)
        .send({ company_name: 'Clash', contact_email: 'clash@example.com', external_id: externalId })
        .expect(409);
      expect(createClash.body.detail).toContain(holder.customer_id);

      await put(holder.customer_id, { external_id: null }).expect(200);
      await put(other.customer_id, { external_id: externalId }).expect(200);
    });

    it('concurrent creates with one external id: exactly one wins', async () => {
      const externalId = `race-${randomUUID()}`;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, n) =>
          t
            .http()
            .post('/admin/customers')
            .set('x-api-key', WRITE_KEY)
            .send({ company_name: `Race ${n}`, contact_email: `race${n}@example.com`, external_id: externalId }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM customers WHERE external_id = $1', [externalId])).toEqual([{ n: 1 }]);
    });

    it.each([
      ['', 'external_id'],
      [' padded', 'external_id'],
      ['line\nbreak', 'external_id'],
      ['x'.repeat(256), 'external_id'],
      [42, 'external_id'],
    ])('refuses %j naming the field', async (value, field) => {
      const customer = await createCustomer(t);
      const response = await put(customer.customer_id, { external_id: value }).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('metadata filters', () => {
    it('match strings exactly and numbers or booleans by their JSON text; every key must match; cursor pages work', async () => {
      const tag = randomUUID();
      const a = await createCustomer(t, { metadata: { batch: tag, region: 'eu', seats: 5, vip: true } });
      const b = await createCustomer(t, { metadata: { batch: tag, region: 'eu', seats: '5' } });
      const c = await createCustomer(t, { metadata: { batch: tag, region: 'us', seats: 50 } });
      const ids = async (query: string) =>
        ((await list(`metadata[batch]=${tag}&${query}`).expect(200)).body.data as { customer_id: string }[]).map((x) => x.customer_id);
      expect(await ids('metadata[region]=eu')).toEqual([b.customer_id, a.customer_id]);
      expect(await ids('metadata[seats]=5')).toEqual([b.customer_id, a.customer_id]);
      expect(await ids('metadata[seats]=5.0')).toEqual([]);
      expect(await ids('metadata[vip]=true')).toEqual([a.customer_id]);
      expect(await ids('metadata[region]=eu&metadata[vip]=true')).toEqual([a.customer_id]);
      expect(await ids('metadata%5Bregion%5D=us')).toEqual([c.customer_id]);
      expect(await ids('metadata[region]=EU')).toEqual([]);
      expect(await ids('metadata[nothing]=x')).toEqual([]);
      expect(await ids(`metadata[${encodeURIComponent('we"ird\\key')}]=x`)).toEqual([]);

      const first = await list(`metadata[batch]=${tag}&limit=2`).expect(200);
      expect(first.body.has_more).toBe(true);
      const second = await list(`metadata[batch]=${tag}&limit=2&starting_after=${first.body.next_cursor}`).expect(200);
      expect(second.body.data.map((x: { customer_id: string }) => x.customer_id)).toEqual([a.customer_id]);
    });

    it('the first filter (the one walked in order) matches like the others, and follows every change, erasure included', async () => {
      const key = `k${randomUUID().slice(0, 12)}`;
      const number = await createCustomer(t, { metadata: { [key]: 5 } });
      const text = await createCustomer(t, { metadata: { [key]: '5' } });
      const flag = await createCustomer(t, { metadata: { [key]: true, other: 'x' } });
      const ids = async (query: string) => ((await list(query).expect(200)).body.data as { customer_id: string }[]).map((x) => x.customer_id);
      expect(await ids(`metadata[${key}]=5`)).toEqual([text.customer_id, number.customer_id]);
      expect(await ids(`metadata[${key}]=5.0`)).toEqual([]);
      expect(await ids(`metadata[${key}]=true`)).toEqual([flag.customer_id]);
      expect(await ids(`metadata[${key}]=true&metadata[other]=x`)).toEqual([flag.customer_id]);
      expect(await ids(`metadata[${key}]=true&metadata[other]=y`)).toEqual([]);
      const first = await list(`metadata[${key}]=5&limit=1`).expect(200);
      expect(first.body.data.map((x: { customer_id: string }) => x.customer_id)).toEqual([text.customer_id]);
      const next = await list(`metadata[${key}]=5&limit=1&starting_after=${first.body.next_cursor}`).expect(200);
      expect(next.body).toMatchObject({ has_more: false, data: [{ customer_id: number.customer_id }] });

      await put(number.customer_id, { metadata: { [key]: 6 } }).expect(200);
      expect(await ids(`metadata[${key}]=5`)).toEqual([text.customer_id]);
      expect(await ids(`metadata[${key}]=6`)).toEqual([number.customer_id]);
      await put(number.customer_id, { metadata: { [key]: null } }).expect(200);
      expect(await ids(`metadata[${key}]=6`)).toEqual([]);

      await archive(text.customer_id).expect(200);
      expect(await ids(`metadata[${key}]=5`)).toEqual([]);
      expect(await ids(`metadata[${key}]=5&archived=true`)).toEqual([text.customer_id]);
      await erase(text.customer_id).expect(200);
      const rows = await t.dataSource.query('SELECT * FROM customer_metadata_values WHERE customer_id = ANY ($1)', [[number.customer_id, text.customer_id]]);
      expect(rows).toEqual([]);
    });

    it.each([
      ['metadata[]=x', 'metadata'],
      ['metadata[a][b]=x', 'metadata[a][b]'],
      ['metadata[a]=1&metadata[a]=2', 'metadata'],
      [Array.from({ length: 21 }, (_, n) => `metadata[k${n}]=v`).join('&'), 'metadata'],
      [`metadata[${'k'.repeat(41)}]=v`, 'metadata'],
    ])('refuses %s with a 400 naming %s', async (query, field) => {
      const response = await list(query).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });
});
