import { randomUUID } from 'node:crypto';
import { Client, Notification } from 'pg';
import { CUSTOMER_EVENTS_CHANNEL } from '../src/events/customer-event-relay';
import { createCustomer, customerRow } from './support/customers';
import { createTestApp, TestApp, WRITE_KEY } from './support/test-app';

/** Concurrency, conditional requests, idempotent creates and the event trail, against real PostgreSQL. */
describe('Customer changes are never lost (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const put = (id: string, body: object) => t.http().put(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY).send(body);
  const events = async (id: string) => t.dataSource.query<any[]>('SELECT * FROM customer_events WHERE customer_id = $1 ORDER BY created_at, event_id', [id]);

  describe('no lost updates', () => {
    // metadata holds at most 50 keys, so 50 of the 100 writers each add a key and the other 50 each rename.
    it('100 concurrent PUTs (50 adding their own metadata key, 50 renaming) all land, serialised', async () => {
      const customer = await createCustomer(t);
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          i % 2 === 0 ? put(customer.customer_id, { metadata: { [`key_${i}`]: i } }) : put(customer.customer_id, { company_name: `Name ${i}` }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
      const row = await customerRow(t.dataSource, customer.customer_id);
      expect(Object.keys(row.metadata)).toHaveLength(50);
      for (let i = 0; i < 100; i += 2) expect(row.metadata[`key_${i}`]).toBe(i);
      expect(row.version).toBe(101);
      expect(new Set(responses.map((r) => r.headers.etag)).size).toBe(100);

      const updates = (await events(customer.customer_id)).filter((e) => e.type === 'customer.updated');
      expect(updates).toHaveLength(100);
      // Each change started from the state the previous one committed: no write saw a stale row.
      let metadata = {};
      let name = customer.company_name;
      for (const { changes } of updates) {
        if (changes.metadata) {
          expect(changes.metadata.from).toEqual(metadata);
          metadata = changes.metadata.to;
        } else {
          expect(changes.company_name.from).toBe(name);
          name = changes.company_name.to;
        }
      }
      expect(row.company_name).toBe(name);
      expect(row.metadata).toEqual(metadata);
    });

    it('concurrent tier and name changes both land, with derived values consistent', async () => {
      const customer = await createCustomer(t, { tier: 'starter' });
      for (let round = 0; round < 10; round++) {
        const name = `Renamed ${round}`;
        const tier = round % 2 === 0 ? 'enterprise' : 'growth';
        const [a, b] = await Promise.all([put(customer.customer_id, { tier }), put(customer.customer_id, { company_name: name })]);
        expect([a.status, b.status]).toEqual([200, 200]);
        const row = await customerRow(t.dataSource, customer.customer_id);
        expect(row).toMatchObject({ tier, company_name: name, annual_commitment: tier === 'enterprise' ? 1500000 : 100000 });
      }
    });
  });

  describe('optimistic concurrency', () => {
    it('answers every customer response with an ETag that changes on every real change only', async () => {
      const customer = await createCustomer(t);
      const created = await t.http().get(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY);
      expect(created.headers.etag).toBe('"v1"');
      const noop = await put(customer.customer_id, {});
      expect(noop.headers.etag).toBe('"v1"');
      const changed = await put(customer.customer_id, { status: 'suspended' });
      expect(changed.headers.etag).toBe('"v2"');
    });

    it('PUT with a stale If-Match is 412 and writes nothing; a current one proceeds', async () => {
      const customer = await createCustomer(t);
      const first = await put(customer.customer_id, { tier: 'growth' }).set('If-Match', '"v1"');
      expect(first.status).toBe(200);
      const stale = await put(customer.customer_id, { tier: 'scale' }).set('If-Match', '"v1"');
      expect(stale.status).toBe(412);
      expect(stale.headers['content-type']).toMatch(/problem\+json/);
      expect(stale.body.errors[0].field).toBe('If-Match');
      expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({ tier: 'growth', version: 2 });
      expect(await events(customer.customer_id)).toHaveLength(2);
      await put(customer.customer_id, { tier: 'scale' }).set('If-Match', first.headers.etag).expect(200);
      await put(customer.customer_id, { tier: 'enterprise' }).set('If-Match', '*').expect(200);
    });

    it('two admins editing from the same ETag: exactly one wins', async () => {
      const customer = await createCustomer(t);
      const [a, b] = await Promise.all([
        put(customer.customer_id, { company_name: 'Admin A' }).set('If-Match', '"v1"'),
        put(customer.customer_id, { company_name: 'Admin B' }).set('If-Match', '"v1"'),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 412]);
      const winner = a.status === 200 ? 'Admin A' : 'Admin B';
      expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({ company_name: winner, version: 2 });
    });

    it('GET honours If-None-Match with 304', async () => {
      const customer = await createCustomer(t);
      const url = `/admin/customers/${customer.customer_id}`;
      const notModified = await t.http().get(url).set('x-api-key', WRITE_KEY).set('If-None-Match', '"v1"');
      expect(notModified.status).toBe(304);
      expect(notModified.text ?? '').toBe('');
      expect(notModified.headers.etag).toBe('"v1"');
      await put(customer.customer_id, { status: 'suspended' }).expect(200);
      const modified = await t.http().get(url).set('x-api-key', WRITE_KEY).set('If-None-Match', '"v1"');
      expect(modified.status).toBe(200);
      expect(modified.body.status).toBe('suspended');
    });
  });

  describe('idempotent creates', () => {
    const post = (body: object, key?: string) => {
      const request = t.http().post('/admin/customers').set('x-api-key', WRITE_KEY);
      if (key !== undefined) request.set('Idempotency-Key', key);
      return request.send(body);
    };
    const countByEmail = async (email: string) =>
      Number((await t.dataSource.query('SELECT count(*) FROM customers WHERE contact_email = $1', [email]))[0].count);

    it('replays the first response for the same key and body', async () => {
      const key = randomUUID();
      const email = `idem-${key}@example.com`;
      const first = await post({ company_name: 'Idem Co', contact_email: email }, key);
      expect(first.status).toBe(201);
      const replay = await post({ contact_email: email, company_name: 'Idem Co' }, key);
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.headers.etag).toBe(first.headers.etag);
      expect(await countByEmail(email)).toBe(1);
    });

    it('the same key with a different body is 422, and creates nothing', async () => {
      const key = randomUUID();
      await post({ company_name: 'Idem Co', contact_email: `a-${key}@example.com` }, key).expect(201);
      const conflict = await post({ company_name: 'Other Co', contact_email: `b-${key}@example.com` }, key);
      expect(conflict.status).toBe(422);
      expect(conflict.body.errors[0].field).toBe('Idempotency-Key');
      expect(await countByEmail(`b-${key}@example.com`)).toBe(0);
    });

    it('20 concurrent requests with one key create one customer', async () => {
      const key = randomUUID();
      const email = `race-${key}@example.com`;
      const responses = await Promise.all(Array.from({ length: 20 }, () => post({ company_name: 'Race Co', contact_email: email }, key)));
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(responses.map((r) => r.body.customer_id)).size).toBe(1);
      expect(responses.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
      expect(await countByEmail(email)).toBe(1);
    });

    it('expires a key after 24 hours', async () => {
      const key = randomUUID();
      await post({ company_name: 'Old Co', contact_email: `old-${key}@example.com` }, key).expect(201);
      await t.dataSource.query(`UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = $1`, [key]);
      const fresh = await post({ company_name: 'New Co', contact_email: `new-${key}@example.com` }, key);
      expect(fresh.status).toBe(201);
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
      expect(fresh.body.company_name).toBe('New Co');
    });

    it('rejects a key over 255 characters', async () => {
      const response = await post({ company_name: 'Long Co', contact_email: 'long@example.com' }, 'k'.repeat(256));
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('Idempotency-Key');
    });

    it('a failed create stores nothing, so the key can be retried with a corrected body', async () => {
      const key = randomUUID();
      await post({ company_name: 'Bad Co', contact_email: `x-${key}@example.com`, tier: 'custom' }, key).expect(400);
      await post({ company_name: 'Bad Co', contact_email: `x-${key}@example.com`, tier: 'scale' }, key).expect(201);
    });
  });

  describe('audit events', () => {
    it('records creates and real changes with actor, request id and every changed field; no-ops record nothing', async () => {
      const created = await t
        .http()
        .post('/admin/customers')
        .set('x-api-key', WRITE_KEY)
        .set('x-request-id', 'req-create-1')
        .send({ company_name: 'Audit Co', contact_email: `audit-${randomUUID()}@example.com`, tier: 'growth' })
        .expect(201);
      const id = created.body.customer_id;
      const upgrade = await put(id, { tier: 'scale' }).set('x-request-id', 'req-upgrade-1');
      expect(upgrade.headers['x-request-id']).toBe('req-upgrade-1');
      await put(id, { tier: 'scale' }).expect(200);
      await put(id, {}).expect(200);

      const trail = await events(id);
      expect(trail.map((e) => e.type)).toEqual(['customer.created', 'customer.updated']);
      expect(trail[0]).toMatchObject({ actor: 'e2e-writer', request_id: 'req-create-1' });
      expect(trail[0].changes.tier).toEqual({ from: null, to: 'growth' });
      expect(trail[1]).toMatchObject({ actor: 'e2e-writer', request_id: 'req-upgrade-1' });
      expect(trail[1].changes).toEqual({
        tier: { from: 'growth', to: 'scale' },
        annual_commitment: { from: 100000, to: 500000 },
        annual_validation_limit: { from: 5000000, to: 30000000 },
        rate_limit: { from: { requests_per_second: 50, burst: 100 }, to: { requests_per_second: 200, burst: 400 } },
      });
      expect(JSON.stringify(trail)).not.toContain(WRITE_KEY);
    });

    it('the events table is append-only', async () => {
      const customer = await createCustomer(t);
      await expect(t.dataSource.query('UPDATE customer_events SET actor = $1 WHERE customer_id = $2', ['mallory', customer.customer_id])).rejects.toThrow(
        /append-only/,
      );
      await expect(t.dataSource.query('DELETE FROM customer_events WHERE customer_id = $1', [customer.customer_id])).rejects.toThrow(/append-only/);
      expect(await events(customer.customer_id)).toHaveLength(1);
    });

    it('GET /events pages newest first with a cursor', async () => {
      const customer = await createCustomer(t);
      for (let i = 0; i < 6; i++) await put(customer.customer_id, { metadata: { step: i } }).expect(200);
      const url = `/admin/customers/${customer.customer_id}/events`;
      const first = await t.http().get(url).query({ limit: 3 }).set('x-api-key', WRITE_KEY).expect(200);
      expect(first.body.data).toHaveLength(3);
      expect(first.body.has_more).toBe(true);
      expect(first.body.data.map((e: any) => e.changes.metadata.to.step)).toEqual([5, 4, 3]);
      const second = await t.http().get(url).query({ limit: 3, starting_after: first.body.next_cursor }).set('x-api-key', WRITE_KEY).expect(200);
      expect(second.body.data.map((e: any) => e.changes.metadata?.to.step ?? 'created')).toEqual([2, 1, 0]);
      const last = await t.http().get(url).query({ limit: 3, starting_after: second.body.next_cursor }).set('x-api-key', WRITE_KEY).expect(200);
      expect(last.body).toMatchObject({ has_more: false, next_cursor: null });
      expect(last.body.data.map((e: any) => e.type)).toEqual(['customer.created']);
      const defaults = await t.http().get(url).set('x-api-key', WRITE_KEY).expect(200);
      expect(defaults.body.data).toHaveLength(7);
    });

    it.each([
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ starting_after: 'nonsense' }, 'starting_after'],
      [{ starting_after: '00000000-0000-4000-8000-000000000000' }, 'starting_after'],
      [{ page: 2 }, 'page'],
    ])('rejects bad paging %j', async (query, field) => {
      const customer = await createCustomer(t);
      const response = await t.http().get(`/admin/customers/${customer.customer_id}/events`).query(query).set('x-api-key', WRITE_KEY);
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('is 404 for an unknown customer', async () => {
      await t.http().get(`/admin/customers/${randomUUID()}/events`).set('x-api-key', WRITE_KEY).expect(404);
    });
  });

  describe('the write path', () => {
    it('a PUT sends BEGIN, the locked read, the update, the event insert and COMMIT on one connection, and nothing else (no NOTIFY)', async () => {
      const customer = await createCustomer(t, { tier: 'growth' });
      const sent: { connection: unknown; text: string }[] = [];
      const original = Object.getOwnPropertyDescriptor(Client.prototype, 'query')!.value as (...parameters: unknown[]) => unknown;
      const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
        sent.push({ connection: this, text: typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text });
        return original.apply(this, args);
      });
      try {
        await put(customer.customer_id, { tier: 'scale' }).expect(200);
      } finally {
        spy.mockRestore();
      }
      // The relay and the webhook worker run transactions of their own meanwhile (on other connections,
      // or on this one once it is back in the pool): the PUT's is the one around the customer UPDATE.
      const update = sent.find((entry) => /^UPDATE customers\b/.test(entry.text));
      expect(update).toBeDefined();
      const onConnection = sent.filter((entry) => entry.connection === update!.connection).map((entry) => entry.text.trim().split(/\s+/)[0].toUpperCase());
      const at = sent.filter((entry) => entry.connection === update!.connection).indexOf(update!);
      const transaction = onConnection.slice(onConnection.lastIndexOf('BEGIN', at), onConnection.indexOf('COMMIT', at) + 1);
      expect(transaction).toEqual(['BEGIN', 'SELECT', 'UPDATE', 'INSERT', 'COMMIT']);
      expect(sent.filter((entry) => /^UPDATE customers\b/.test(entry.text))).toHaveLength(1);
    });
  });

  describe('NOTIFY customer_events', () => {
    let listener: Client;
    const received: Notification[] = [];

    beforeAll(async () => {
      listener = new Client({ connectionString: process.env.DATABASE_URL });
      await listener.connect();
      listener.on('notification', (message) => received.push(message));
      await listener.query(`LISTEN ${CUSTOMER_EVENTS_CHANNEL}`);
    });
    afterAll(async () => listener.end());

    const forCustomer = (id: string) => received.filter((m) => JSON.parse(m.payload!).customer_id === id).map((m) => JSON.parse(m.payload!));
    /** The relay publishes within a poll interval of the commit; wait for what is expected, then a little longer for anything extra. */
    const heard = async (id: string, count: number) => {
      for (const deadline = Date.now() + 5000; forCustomer(id).length < count && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200));
      return forCustomer(id);
    };

    it('a listener hears a tier change after commit, and nothing for rejected or no-op requests', async () => {
      const customer = await createCustomer(t, { tier: 'growth' });
      expect(await heard(customer.customer_id, 1)).toHaveLength(1);

      await put(customer.customer_id, { tier: 'platinum' }).expect(400);
      await put(customer.customer_id, { tier: 'scale' }).set('If-Match', '"v9"').expect(412);
      await put(customer.customer_id, { tier: 'growth' }).expect(200);
      expect(await heard(customer.customer_id, 2)).toHaveLength(1);

      await put(customer.customer_id, { tier: 'scale' }).expect(200);
      const notifications = await heard(customer.customer_id, 2);
      expect(notifications).toHaveLength(2);
      const [event] = await t.dataSource.query(`SELECT event_id FROM customer_events WHERE customer_id = $1 AND type = 'customer.updated'`, [
        customer.customer_id,
      ]);
      expect(notifications[1]).toEqual({ event_id: event.event_id, customer_id: customer.customer_id, type: 'customer.updated', position: expect.any(Number) });
      expect(notifications[1].position).toBeGreaterThan(notifications[0].position);
    });
  });

  describe('the customer row changes if and only if its event row exists', () => {
    const killMarker = `kill-${randomUUID()}`;
    const failMarker = `fail-${randomUUID()}`;

    beforeAll(async () => {
      // Test-only trigger: for these request ids, kill the connection (or fail) after the customer UPDATE, before COMMIT.
      await t.dataSource.query(`CREATE OR REPLACE FUNCTION e2e_sabotage_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.request_id = '${killMarker}' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;
          IF NEW.request_id = '${failMarker}' THEN RAISE EXCEPTION 'event insert failed'; END IF;
          RETURN NEW;
        END $$`);
      await t.dataSource.query(`CREATE TRIGGER e2e_sabotage_event BEFORE INSERT ON customer_events FOR EACH ROW EXECUTE FUNCTION e2e_sabotage_event()`);
    });
    afterAll(async () => {
      await t.dataSource.query('DROP TRIGGER IF EXISTS e2e_sabotage_event ON customer_events');
      await t.dataSource.query('DROP FUNCTION IF EXISTS e2e_sabotage_event()');
    });

    it.each([
      ['the database connection is killed mid-transaction', () => killMarker],
      ['the event insert fails', () => failMarker],
    ])('when %s, neither is written, the client gets a 5xx problem, and the service recovers', async (_label, marker) => {
      const customer = await createCustomer(t, { tier: 'growth' });
      const before = await customerRow(t.dataSource, customer.customer_id);
      const response = await put(customer.customer_id, { tier: 'enterprise' }).set('x-request-id', marker());
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(JSON.stringify(response.body)).not.toMatch(/event insert failed|terminat|pg_/);
      expect(await customerRow(t.dataSource, customer.customer_id)).toEqual(before);
      expect(await events(customer.customer_id)).toHaveLength(1);

      const retry = await put(customer.customer_id, { tier: 'enterprise' });
      expect(retry.status).toBe(200);
      expect(await events(customer.customer_id)).toHaveLength(2);
    });
  });
});
