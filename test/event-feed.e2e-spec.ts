import { createCustomer } from './support/customers';
import { createTestApp, READ_KEY, TestApp, WRITE_KEY } from './support/test-app';
import { createIsolatedDatabase } from './support/test-database';

/** GET /admin/events: the feed of every published event, on a database of its own. */
describe('Event feed (e2e)', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createIsolatedDatabase('feed');
    drop = () => database.drop();
    t = await createTestApp({ EVENT_RELAY_INTERVAL_MS: '20' }, database.url);
  });
  afterAll(async () => {
    await t.close();
    await drop();
  });

  const feed = (query: Record<string, string | number | string[]>) => t.http().get('/admin/events').query(query).set('x-api-key', READ_KEY);
  type FeedEvent = { event_id: string; customer_id: string; type: string; position: number };

  it('a reader following `after` while writers commit ends with every committed event exactly once, in position order', async () => {
    const customers = await Promise.all(Array.from({ length: 10 }, () => createCustomer(t)));
    const seen: FeedEvent[] = [];
    let after = 0;
    let writing = true;
    const reader = (async () => {
      for (;;) {
        const page = await feed({ after, limit: 37 }).expect(200);
        const events = page.body.data as FeedEvent[];
        seen.push(...events);
        if (events.length > 0) after = events[events.length - 1].position;
        if (!writing && events.length === 0) {
          const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM customer_events');
          if (seen.length >= n) return;
        }
        if (events.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await Promise.all(
      customers.flatMap((customer, n) =>
        Array.from({ length: 15 }, (_, step) =>
          t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).send({ metadata: { step, n } }).expect(200),
        ),
      ),
    );
    writing = false;
    await reader;

    const ids = seen.map((event) => event.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    const stored: { event_id: string }[] = await t.dataSource.query('SELECT event_id FROM customer_events');
    expect(new Set(ids)).toEqual(new Set(stored.map((row) => row.event_id)));
    const positions = seen.map((event) => event.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('filters by type and customer, pages with has_more and next_cursor (a position)', async () => {
    const customer = await createCustomer(t);
    for (const tier of ['growth', 'scale', 'enterprise']) {
      await t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).send({ tier }).expect(200);
    }
    const all = async (query: Record<string, string | number | string[]>): Promise<FeedEvent[]> => {
      for (let attempt = 0; ; attempt++) {
        const body = (await feed(query).expect(200)).body;
        if (body.data.length === 4 || attempt > 100) return body.data;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const mine = await all({ customer_id: customer.customer_id });
    expect(mine.map((event) => event.type)).toEqual(['customer.created', 'customer.updated', 'customer.updated', 'customer.updated']);
    const first = await feed({ customer_id: customer.customer_id, limit: 2 }).expect(200);
    expect(first.body).toMatchObject({ has_more: true, next_cursor: String(mine[1].position) });
    const second = await feed({ customer_id: customer.customer_id, limit: 2, after: first.body.next_cursor }).expect(200);
    expect(second.body.data.map((event: FeedEvent) => event.position)).toEqual([mine[2].position, mine[3].position]);
    const created = await feed({ customer_id: customer.customer_id, type: 'customer.created' }).expect(200);
    expect(created.body.data).toHaveLength(1);
    const both = await feed({ customer_id: customer.customer_id, type: ['customer.created', 'customer.updated'] }).expect(200);
    expect(both.body.data).toHaveLength(4);
    const comma = await feed({ customer_id: customer.customer_id, type: 'customer.created,customer.updated' }).expect(200);
    expect(comma.body.data).toHaveLength(4);
  });

  it.each([
    [{ after: 'abc' }, 'after'],
    [{ after: -1 }, 'after'],
    [{ after: '1.5' }, 'after'],
    [{ limit: 0 }, 'limit'],
    [{ type: 'customer.deleted' }, 'type'],
    [{ customer_id: 'nope' }, 'customer_id'],
    [{ starting_after: 'x' }, 'starting_after'],
  ])('refuses %j with a 400 naming %s', async (query, field) => {
    const response = await feed(query as Record<string, string | number>).expect(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });
});
