import { Client, Notification } from 'pg';
import { CUSTOMER_EVENTS_CHANNEL, CustomerEventRelay } from '../src/events/customer-event-relay';
import { createCustomer } from './support/customers';
import { createTestApp, TestApp, WRITE_KEY } from './support/test-app';
import { createIsolatedDatabase } from './support/test-database';
import { waitFor } from './support/wait-for';

interface Published {
  event_id: string;
  customer_id: string;
  type: string;
  position: number;
  receivedAt: number;
}

/** The relay's guarantees, on a database of its own so no other test file's app takes the relay lock. */
describe('Event relay (e2e)', () => {
  let databaseUrl: string;
  let database: { url: string; drop: () => Promise<void> };
  let listener: Client;
  const published: Published[] = [];
  const apps: TestApp[] = [];

  const start = async () => {
    const app = await createTestApp({}, databaseUrl);
    apps.push(app);
    return app;
  };
  const stop = async (app: TestApp) => {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
  };
  const relayOf = (app: TestApp) => app.app.get(CustomerEventRelay);
  const publishedFor = (customerId: string) => published.filter((event) => event.customer_id === customerId);
  const put = (app: TestApp, id: string, body: object) => app.http().put(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY).send(body);

  beforeAll(async () => {
    database = await createIsolatedDatabase('relay');
    databaseUrl = database.url;
    listener = new Client({ connectionString: databaseUrl });
    await listener.connect();
    listener.on('notification', (message: Notification) => published.push({ ...JSON.parse(message.payload!), receivedAt: Date.now() }));
    await listener.query(`LISTEN ${CUSTOMER_EVENTS_CHANNEL}`);
  });

  afterAll(async () => {
    for (const app of [...apps]) await stop(app);
    await listener.end();
    await database.drop();
  });

  it('runs in exactly one of two processes, publishes each change once, in order, soon after commit', async () => {
    const [first, second] = [await start(), await start()];
    await waitFor(() => relayOf(first).isLeader || relayOf(second).isLeader, 'a leader');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([relayOf(first).isLeader, relayOf(second).isLeader].filter(Boolean)).toHaveLength(1);

    const customer = await createCustomer(first);
    const latencies: number[] = [];
    for (const [index, tier] of ['scale', 'growth', 'enterprise', 'starter', 'scale', 'growth'].entries()) {
      const app = index % 2 ? first : second;
      await put(app, customer.customer_id, { tier }).expect(200);
      const answeredAt = Date.now();
      await waitFor(() => publishedFor(customer.customer_id).length === index + 2, `event ${index + 2}`);
      latencies.push(publishedFor(customer.customer_id)[index + 1].receivedAt - answeredAt);
    }
    console.log(`relay: response to notification ${latencies.join(', ')} ms`);

    const events = (await first.dataSource.query('SELECT event_id FROM customer_events WHERE customer_id = $1 ORDER BY sequence', [customer.customer_id])).map(
      (row: { event_id: string }) => row.event_id,
    );
    const notified = publishedFor(customer.customer_id);
    expect(notified.map((event) => event.event_id)).toEqual(events);
    const positions = notified.map((event) => event.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
  });

  it('publishes an event whose transaction commits after a later-numbered one (commit order, not sequence order)', async () => {
    const app = apps[0];
    const [early, late] = [await createCustomer(app), await createCustomer(app)];
    await waitFor(() => publishedFor(late.customer_id).length === 1, 'the creations');

    const slow = new Client({ connectionString: databaseUrl });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(`INSERT INTO customer_events (customer_id, type, actor, changes) VALUES ($1, 'customer.updated', 'e2e-slow', '{}')`, [
        early.customer_id,
      ]);
      const [{ sequence: slowSequence }] = (await slow.query('SELECT max(sequence)::int AS sequence FROM customer_events')).rows;

      await put(app, late.customer_id, { tier: 'scale' }).expect(200);
      await waitFor(() => publishedFor(late.customer_id).length === 2, 'the later-numbered event');
      const [{ sequence: lateSequence }] = await app.dataSource.query('SELECT max(sequence)::int AS sequence FROM customer_events WHERE customer_id = $1', [
        late.customer_id,
      ]);
      expect(lateSequence).toBeGreaterThan(slowSequence);
      expect(publishedFor(early.customer_id)).toHaveLength(1);

      await slow.query('COMMIT');
      await waitFor(() => publishedFor(early.customer_id).length === 2, 'the earlier-numbered event, after its commit');
      expect(publishedFor(early.customer_id)[1].position).toBeGreaterThan(publishedFor(late.customer_id)[1].position);
    } finally {
      await slow.end();
    }
  });

  it('hands over to the standby when the active relay stops, and resumes where it stopped after a full restart', async () => {
    const leader = apps.find((app) => relayOf(app).isLeader)!;
    const standby = apps.find((app) => app !== leader)!;
    await stop(leader);
    const customer = await createCustomer(standby);
    await waitFor(() => publishedFor(customer.customer_id).length === 1, 'the standby to publish');
    expect(relayOf(standby).isLeader).toBe(true);

    await stop(standby);
    const writer = new Client({ connectionString: databaseUrl });
    await writer.connect();
    await writer.query(`INSERT INTO customer_events (customer_id, type, actor, changes) VALUES ($1, 'customer.updated', 'e2e-offline', '{}')`, [
      customer.customer_id,
    ]);
    await writer.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(publishedFor(customer.customer_id)).toHaveLength(1);

    await start();
    await waitFor(() => publishedFor(customer.customer_id).length === 2, 'the restarted relay to publish what was committed while none ran');
    const counts = new Map<string, number>();
    for (const event of published) counts.set(event.event_id, (counts.get(event.event_id) ?? 0) + 1);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });

  it('publishes soon after commit while webhook endpoints are created and deleted (a serialization failure is retried at once, not a pause)', async () => {
    const app = await createTestApp({ WEBHOOK_DELIVERY_ENABLED: 'false' }, databaseUrl);
    apps.push(app);
    await waitFor(() => apps.some((running) => relayOf(running).isLeader), 'a leader');
    const customers = await Promise.all(Array.from({ length: 4 }, () => createCustomer(app)));
    const seen = new Map(customers.map((customer) => [customer.customer_id, publishedFor(customer.customer_id).length]));
    let churning = true;
    const churn = async () => {
      while (churning) {
        const created = await app.http().post('/admin/webhook-endpoints').set('x-api-key', WRITE_KEY).send({ url: 'http://127.0.0.1:9/hook' });
        await app.http().delete(`/admin/webhook-endpoints/${created.body.webhook_endpoint_id}`).set('x-api-key', WRITE_KEY);
      }
    };
    const churners = [churn(), churn()];
    const latencies: number[] = [];
    try {
      for (let step = 0; step < 120; step++) {
        const customer = customers[step % customers.length];
        const expected = seen.get(customer.customer_id)! + 1;
        await put(app, customer.customer_id, { metadata: { step } }).expect(200);
        const answeredAt = Date.now();
        await waitFor(() => publishedFor(customer.customer_id).length >= expected, `event ${step}`, 5000);
        latencies.push(Math.max(0, publishedFor(customer.customer_id)[expected - 1].receivedAt - answeredAt));
        seen.set(customer.customer_id, expected);
      }
    } finally {
      churning = false;
      await Promise.all(churners);
    }
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1];
    const metrics = await app.http().get('/metrics').set('x-api-key', WRITE_KEY);
    const retried = /event_relay_conflict_retries_total (\d+)/.exec(metrics.text)?.[1];
    console.log(
      `relay under endpoint churn: response to notification p50 ${latencies[latencies.length >> 1]} ms, p99 ${p99} ms, max ${latencies.at(-1)} ms; conflicts retried: ${retried}`,
    );
    expect(retried).toBeDefined();
    // The promise is 100 ms (17 ms on an idle machine, BENCHMARKS.md); beside the rest of the suite on
    // two cores it reads 250-450 ms. A conflict answered by the relay's 1 s failure pause fails this.
    expect(p99).toBeLessThan(1000);
  });
});
