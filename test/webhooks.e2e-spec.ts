import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { createCustomer } from './support/customers';
import { startAppProcess, stopAppProcess, waitForReady } from './support/app-process';
import { createTestApp, READ_KEY, TEST_ADMIN_API_KEYS, TestApp, WRITE_KEY } from './support/test-app';
import { createIsolatedDatabase } from './support/test-database';
import { LEASE_MS, WebhookDeliveryWorker } from '../src/webhooks/webhook-delivery.worker';
import { waitFor } from './support/wait-for';
import { ReceivedWebhook, WebhookReceiver } from './support/webhook-receiver';
import { OpenApiContract } from './support/openapi-contract';

/** Short waits so retries happen within a test: 200 ms, then 500 ms, then seconds. */
const FAST_RETRIES = { WEBHOOK_RETRY_SCHEDULE: '200ms,500ms,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s', WEBHOOK_POLL_INTERVAL_MS: '50' };

/**
 * Webhooks end to end: real receivers on 127.0.0.1, real PostgreSQL. Each scenario has a database of
 * its own, so the relay (one per database) and the workers of its apps see only its endpoints.
 */
describe('Webhooks (e2e)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function scenario(env: Record<string, string> = {}) {
    const database = await createIsolatedDatabase('webhooks');
    cleanups.push(() => database.drop());
    const receiver = await new WebhookReceiver().start();
    cleanups.push(() => receiver.stop());
    const apps: TestApp[] = [];
    const start = async (extra: Record<string, string> = {}) => {
      const app = await createTestApp({ ...FAST_RETRIES, ...env, ...extra }, database.url);
      apps.push(app);
      return app;
    };
    const stop = async (app: TestApp) => {
      apps.splice(apps.indexOf(app), 1);
      await app.close();
    };
    cleanups.push(async () => {
      for (const app of [...apps]) await stop(app);
    });
    return { database, receiver, start, stop };
  }

  const createEndpoint = async (app: TestApp, body: Record<string, unknown>) => {
    const response = await app.http().post('/admin/webhook-endpoints').set('x-api-key', WRITE_KEY).send(body);
    expect(response.status).toBe(201);
    return response.body as Record<string, any>;
  };
  const put = (app: TestApp, customerId: string, body: object) => app.http().put(`/admin/customers/${customerId}`).set('x-api-key', WRITE_KEY).send(body);
  const deliveries = async (app: TestApp, endpointId: string, query = '') => {
    const response = await app.http().get(`/admin/webhook-endpoints/${endpointId}/deliveries?limit=100${query}`).set('x-api-key', READ_KEY);
    expect(response.status).toBe(200);
    return response.body.data as Record<string, any>[];
  };
  const getEndpoint = async (app: TestApp, endpointId: string) =>
    (await app.http().get(`/admin/webhook-endpoints/${endpointId}`).set('x-api-key', READ_KEY).expect(200)).body as Record<string, any>;

  it('manages endpoints: secret only on creation, partial updates, validation naming the field, read keys read only', async () => {
    const { start } = await scenario();
    const app = await start();
    const created = await createEndpoint(app, { url: 'http://127.0.0.1:9/hooks', description: 'gateway' });
    expect(created).toMatchObject({
      url: 'http://127.0.0.1:9/hooks',
      description: 'gateway',
      event_types: ['customer.created', 'customer.updated', 'customer.archived', 'customer.restored', 'customer.erased'],
      enabled: true,
      disabled_reason: null,
    });
    expect(created.secret).toMatch(/^whsec_/);
    const id = created.webhook_endpoint_id;

    const fetched = await getEndpoint(app, id);
    expect(fetched).not.toHaveProperty('secret');
    expect(JSON.stringify(fetched)).not.toContain(created.secret.slice(6));
    const listed = await app.http().get('/admin/webhook-endpoints').set('x-api-key', READ_KEY).expect(200);
    expect(listed.body).toMatchObject({ data: [{ webhook_endpoint_id: id }], has_more: false, next_cursor: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.secret.slice(6));

    const updated = await app
      .http()
      .put(`/admin/webhook-endpoints/${id}`)
      .set('x-api-key', WRITE_KEY)
      .send({ event_types: ['customer.updated'] })
      .expect(200);
    expect(updated.body).toMatchObject({ url: created.url, description: 'gateway', event_types: ['customer.updated'] });
    await app.http().put(`/admin/webhook-endpoints/${id}`).set('x-api-key', WRITE_KEY).send({ description: null }).expect(200);
    expect((await getEndpoint(app, id)).description).toBeNull();

    const bad = [
      [
        { url: 'http://127.0.0.1/', event_types: ['customer.deleted'] },
        'event_types',
        /each value in event_types must be one of: customer\.created, customer\.updated/,
      ],
      [{ url: 'http://127.0.0.1/', event_types: [] }, 'event_types', /at least one event type/],
      [{ url: 'not a url' }, 'url', /absolute URL/],
      [{}, 'url', /url is required/],
      [{ url: null }, 'url', /url/],
      [{ url: 'http://127.0.0.1/', secret: 'whsec_mine' }, 'secret', /not a field/],
      [{ url: 'http://127.0.0.1/', description: 'null \u0000 byte' }, 'description', /NUL characters/],
      [{ url: 'http://127.0.0.1/', description: 'bell \u0007' }, 'description', /control characters/],
      [{ url: 'http://127.0.0.1/', description: 'x'.repeat(501) }, 'description', /description/],
      [{ url: `http://127.0.0.1/${'é'.repeat(1000)}` }, 'url', /at most 2048 characters/],
      [{ url: 'http://127.0.0.1/', enabled: 'yes' }, 'enabled', /boolean/],
    ] as const;
    for (const [body, field, message] of bad) {
      const response = await app.http().post('/admin/webhook-endpoints').set('x-api-key', WRITE_KEY).send(body);
      expect({ body, status: response.status }).toEqual({ body, status: 400 });
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) })]));
    }
    const nullUrl = await app.http().put(`/admin/webhook-endpoints/${id}`).set('x-api-key', WRITE_KEY).send({ url: null });
    expect(nullUrl.status).toBe(400);

    const readCreate = await app.http().post('/admin/webhook-endpoints').set('x-api-key', READ_KEY).send({ url: 'http://127.0.0.1:9/' });
    expect(readCreate.status).toBe(403);
    await app.http().post(`/admin/webhook-endpoints/${id}/rotate-secret`).set('x-api-key', READ_KEY).expect(403);
    await app.http().delete(`/admin/webhook-endpoints/${id}`).set('x-api-key', READ_KEY).expect(403);
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM webhook_endpoints');
    expect(count).toBe(1);

    await app.http().get('/admin/webhook-endpoints/not-a-uuid').set('x-api-key', READ_KEY).expect(400);
    const missing = await app.http().get('/admin/webhook-endpoints/3b0c6f1e-8a3d-4f6a-9d27-5c1e2b7a9f10').set('x-api-key', READ_KEY).expect(404);
    expect(missing.body.errors).toEqual([{ field: 'webhook_endpoint_id', message: 'no webhook endpoint with this id' }]);
    await app.http().delete(`/admin/webhook-endpoints/${id}`).set('x-api-key', WRITE_KEY).expect(204);
    await app.http().get(`/admin/webhook-endpoints/${id}`).set('x-api-key', READ_KEY).expect(404);
  });

  it('refuses loopback, private and metadata addresses when private networks are not allowed', async () => {
    const { start } = await scenario({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' });
    const app = await start();
    for (const url of [
      'http://127.0.0.1:8080/hooks',
      'http://localhost/hooks',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/',
      'http://192.168.1.10/',
      'http://0x7f000001/',
    ]) {
      const response = await app.http().post('/admin/webhook-endpoints').set('x-api-key', WRITE_KEY).send({ url });
      expect({ url, status: response.status }).toEqual({ url, status: 400 });
      expect(response.body.errors).toEqual([{ field: 'url', message: expect.stringContaining('loopback, private, link-local or metadata address') }]);
    }
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM webhook_endpoints');
    expect(count).toBe(0);
  });

  it('stores a URL exactly as validated: whitespace or control characters anywhere are 400 naming url, on create and update', async () => {
    const { start } = await scenario();
    const app = await start();
    const endpoint = await createEndpoint(app, { url: 'http://127.0.0.1:8080/hook', description: 'gateway' });
    for (const url of ['http://127.0.0.1:8080/hook\nx', 'http://127.0.0.1:8080/ho\tok', ' http://127.0.0.1:8080/hook', 'http://127.0.0.1:8080/hook\u200B']) {
      const created = await app.http().post('/admin/webhook-endpoints').set('x-api-key', WRITE_KEY).send({ url });
      expect({ url, status: created.status, fields: created.body.errors?.map((error: { field: string }) => error.field) }).toEqual({
        url,
        status: 400,
        fields: ['url'],
      });
      const updated = await app.http().put(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}`).set('x-api-key', WRITE_KEY).send({ url });
      expect({ url, status: updated.status }).toEqual({ url, status: 400 });
    }
    for (const description of ['\u0301\u0301', '\u3164', '\u200B ']) {
      const response = await app.http().post('/admin/webhook-endpoints').set('x-api-key', WRITE_KEY).send({ url: 'http://127.0.0.1:8080/hook', description });
      expect({ description, status: response.status, fields: response.body.errors?.map((error: { field: string }) => error.field) }).toEqual({
        description,
        status: 400,
        fields: ['description'],
      });
    }
    const rows = await app.dataSource.query('SELECT url FROM webhook_endpoints');
    expect(rows).toEqual([{ url: 'http://127.0.0.1:8080/hook' }]);
  });

  it('delivers each change signed (verified by the standardwebhooks package) with the customer after it, its changes and the actor', async () => {
    const { start, receiver } = await scenario();
    const app = await start();
    const endpoint = await createEndpoint(app, { url: receiver.url });
    const customer = await createCustomer(app, { tier: 'growth' });
    const response = await put(app, customer.customer_id, { tier: 'scale' }).expect(200);
    await waitFor(() => receiver.eventsFor(customer.customer_id).length === 2, 'two deliveries');

    const [created, updated] = receiver.eventsFor(customer.customer_id);
    const verifier = new Webhook(endpoint.secret);
    for (const webhook of [created, updated]) {
      expect(() => verifier.verify(webhook.body, webhook.headers as Record<string, string>)).not.toThrow();
      expect(webhook.headers['webhook-id']).toBe(webhook.json.id);
    }
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).verify(updated.body, updated.headers as Record<string, string>)).toThrow();
    expect(created.json).toMatchObject({ type: 'customer.created', data: { customer, actor: 'e2e-writer' } });
    expect(updated.json).toEqual({
      id: expect.any(String),
      type: 'customer.updated',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      data: {
        customer: response.body,
        changes: expect.objectContaining({ tier: { from: 'growth', to: 'scale' } }),
        actor: 'e2e-writer',
      },
    });
    const [event] = (await app.http().get(`/admin/customers/${customer.customer_id}/events?limit=1`).set('x-api-key', READ_KEY)).body.data;
    expect(updated.json.id).toBe(event.event_id);

    // The receiver has the request a moment before the worker records its answer.
    await waitFor(async () => (await deliveries(app, endpoint.webhook_endpoint_id)).every((delivery) => delivery.status === 'succeeded'), 'both recorded');
    const log = await deliveries(app, endpoint.webhook_endpoint_id);
    expect(log.map((delivery) => [delivery.event_type, delivery.status, delivery.attempts, delivery.last_response_status])).toEqual([
      ['customer.updated', 'succeeded', 1, 200],
      ['customer.created', 'succeeded', 1, 200],
    ]);

    // An endpoint subscribed to updates only gets no creations; a disabled one gets nothing.
    const updatesOnly = await new WebhookReceiver().start();
    const disabled = await new WebhookReceiver().start();
    try {
      await createEndpoint(app, { url: updatesOnly.url, event_types: ['customer.updated'] });
      await createEndpoint(app, { url: disabled.url, enabled: false });
      const other = await createCustomer(app);
      await put(app, other.customer_id, { status: 'suspended' }).expect(200);
      await waitFor(() => updatesOnly.received.length === 1 && receiver.eventsFor(other.customer_id).length === 2, 'deliveries to the subscribed endpoints');
      expect(updatesOnly.received[0].json.type).toBe('customer.updated');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(disabled.received).toHaveLength(0);
    } finally {
      await updatesOnly.stop();
      await disabled.stop();
    }

    const metrics = await app.http().get('/metrics').set('x-api-key', READ_KEY).expect(200);
    expect(metrics.text).toMatch(/webhook_delivery_attempts_total\{outcome="succeeded"\} [4-9]/);
    expect(metrics.text).toContain('webhook_oldest_pending_delivery_age_seconds 0');
  });

  it('delivers the lifecycle events with the customer after each step; an undelivered change goes out scrubbed after an erasure', async () => {
    const { start, receiver } = await scenario();
    const app = await start();
    await createEndpoint(app, { url: receiver.url });
    const customer = await createCustomer(app, { company_name: 'Jane Doe Consulting', metadata: { phone: '+49 555 0100' } });
    const id = customer.customer_id as string;
    await app.http().delete(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY).expect(200);
    await app.http().post(`/admin/customers/${id}/restore`).set('x-api-key', WRITE_KEY).expect(200);
    await waitFor(() => receiver.eventsFor(id).length === 3, 'created, archived, restored');
    const [, archived, restored] = receiver.eventsFor(id);
    expect(archived.json).toMatchObject({ type: 'customer.archived', data: { customer: { archived_at: expect.stringMatching(/Z$/) } } });
    expect(restored.json).toMatchObject({ type: 'customer.restored', data: { customer: { archived_at: null } } });

    receiver.reply = () => ({ status: 503 }); // the next change waits, stored, while the customer is erased
    await put(app, id, { metadata: { phone: '+49 555 0199' } }).expect(200);
    await waitFor(() => receiver.eventsFor(id).length === 4, 'the failing attempt');
    await app.http().delete(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY).expect(200);
    await app.http().post(`/admin/customers/${id}/erase`).set('x-api-key', WRITE_KEY).expect(200);
    // What the receiver accepts from now on: every retry of the update that failed before (one or
    // more, as the machine's speed has it) was sent before the erasure; these are sent after it.
    const accepted = new Set<ReceivedWebhook>();
    receiver.reply = (webhook) => {
      accepted.add(webhook);
      return { status: 200 };
    };
    await waitFor(() => receiver.eventsFor(id).some((webhook) => webhook.json.type === 'customer.erased'), 'the erased event', 10_000);
    const afterErasure = receiver.eventsFor(id).filter((webhook) => accepted.has(webhook));
    expect(afterErasure.map((webhook) => webhook.json.type)).toEqual(['customer.updated', 'customer.archived', 'customer.erased']);
    for (const webhook of afterErasure) {
      expect(webhook.body).not.toContain('Jane Doe');
      expect(webhook.body).not.toContain('+49 555');
    }
    expect(afterErasure[2].json.data.customer).toMatchObject({ company_name: 'Erased customer', erased_at: expect.stringMatching(/Z$/) });

    // Every type's delivery, headers and body, is what the OpenAPI document's callbacks describe.
    const contract = await OpenApiContract.load();
    const received = receiver.eventsFor(id);
    expect(new Set(received.map((webhook) => webhook.json.type))).toEqual(
      new Set(['customer.created', 'customer.updated', 'customer.archived', 'customer.restored', 'customer.erased']),
    );
    for (const webhook of received) {
      expect(contract.webhookProblems(webhook)).toEqual([]);
      expect(webhook.headers['webhook-id']).toBe(webhook.json.id);
    }
    expect(contract.webhookProblems({ headers: received[0].headers, json: { ...received[0].json, data: { changes: {} } } })).not.toEqual([]);
  });

  it('replays published events to an endpoint: signed, in order per customer, marked replay; range and state checked', async () => {
    const { start, receiver } = await scenario();
    const app = await start();
    const customer = await createCustomer(app);
    for (const tier of ['growth', 'scale']) await put(app, customer.customer_id, { tier }).expect(200);
    const feed = async () => (await app.http().get(`/admin/events?customer_id=${customer.customer_id}`).set('x-api-key', READ_KEY).expect(200)).body.data;
    await waitFor(async () => (await feed()).length === 3, 'three published events');
    const published = await feed();

    // An endpoint registered afterwards gets nothing live; a replay from before the first event sends all three.
    const endpoint = await createEndpoint(app, { url: receiver.url, event_types: ['customer.created', 'customer.updated'] });
    const replay = (body: object, key = WRITE_KEY) =>
      app.http().post(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}/replay`).set('x-api-key', key).send(body);
    const accepted = await replay({ after_position: published[0].position - 1, until_position: published[2].position }).expect(202);
    expect(accepted.body).toEqual({ deliveries: 3, after_position: published[0].position - 1, until_position: published[2].position });
    await waitFor(() => receiver.eventsFor(customer.customer_id).length === 3, 'three replayed deliveries');
    const received = receiver.eventsFor(customer.customer_id);
    expect(received.map((webhook) => webhook.json.id)).toEqual(published.map((event: { event_id: string }) => event.event_id));
    for (const webhook of received) {
      expect(() => new Webhook(endpoint.secret).verify(webhook.body, webhook.headers as Record<string, string>)).not.toThrow();
    }
    const log = await deliveries(app, endpoint.webhook_endpoint_id);
    expect(log.map((delivery) => delivery.replay)).toEqual([true, true, true]);

    // Replaying the same range again sends them again (the receiver deduplicates by webhook-id).
    await replay({ after_position: published[1].position }).expect(202);
    await waitFor(() => receiver.eventsFor(customer.customer_id).length === 4, 'the second replay');

    expect((await replay({ after_position: 0, until_position: 100_001 }).expect(400)).body.errors[0].field).toBe('until_position');
    expect((await replay({ after_position: 5, until_position: 4 }).expect(400)).body.errors[0].field).toBe('until_position');
    expect((await replay({ after_position: -1 }).expect(400)).body.errors[0].field).toBe('after_position');
    expect((await replay({ after_position: '5' }).expect(400)).body.errors[0]).toEqual({
      field: 'after_position',
      message: 'after_position must be a position: a whole number from 0',
    });
    expect((await replay({ after_position: 0, until_position: -1 }).expect(400)).body.errors[0].field).toBe('until_position');
    // 0 is a position (the one before the first event): an empty range replays nothing.
    expect((await replay({ after_position: 0, until_position: 0 }).expect(202)).body).toMatchObject({ deliveries: 0 });
    expect((await replay({}).expect(400)).body.errors[0].field).toBe('after_position');
    await replay({ after_position: 0 }, READ_KEY).expect(403);
    await app.http().put(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}`).set('x-api-key', WRITE_KEY).send({ enabled: false }).expect(200);
    expect((await replay({ after_position: 0 }).expect(409)).body.title).toBe('Webhook endpoint disabled');
  });

  it('sends the current customer for an event written without one (by a version before webhooks)', async () => {
    const { start, receiver } = await scenario({ EVENT_RELAY_ENABLED: 'false' });
    const app = await start();
    await createEndpoint(app, { url: receiver.url });
    const customer = await createCustomer(app);
    // The table is append-only by trigger; replica mode skips it to make the old row.
    await app.dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL session_replication_role = replica');
      await manager.query('UPDATE customer_events SET customer = NULL WHERE customer_id = $1', [customer.customer_id]);
    });
    await start({ EVENT_RELAY_ENABLED: 'true' });
    await waitFor(() => receiver.eventsFor(customer.customer_id).length === 1, 'the delivery');
    expect(receiver.eventsFor(customer.customer_id)[0].json.data.customer).toEqual(customer);
  });

  it('prunes finished deliveries past the retention period, never pending ones', async () => {
    const { start, receiver } = await scenario({ WEBHOOK_DELIVERY_RETENTION_DAYS: '7' });
    const app = await start();
    const endpoint = await createEndpoint(app, { url: receiver.url });
    const [done, waiting] = [await createCustomer(app), await createCustomer(app)];
    await waitFor(async () => (await deliveries(app, endpoint.webhook_endpoint_id, '&status=succeeded')).length === 2, 'two deliveries recorded');
    await app.dataSource.query(`UPDATE webhook_deliveries SET updated_at = now() - interval '8 days'`);
    await app.dataSource.query(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now() + interval '1 hour' WHERE customer_id = $1`, [
      waiting.customer_id,
    ]);
    expect(await app.app.get(WebhookDeliveryWorker).pruneDeliveries()).toBe(1);
    const left = await deliveries(app, endpoint.webhook_endpoint_id);
    expect(left.map((delivery) => delivery.customer_id)).toEqual([waiting.customer_id]);
    expect(left.map((delivery) => delivery.customer_id)).not.toContain(done.customer_id);
  });

  it('keeps the order of 50 concurrent changes to one customer', async () => {
    const { start, receiver } = await scenario();
    const app = await start();
    // A receiver that answers at random speeds and fails every fifth event's first attempt: a later
    // event must wait for the retry of an earlier one instead of overtaking it.
    const seen = new Set<string>();
    const accepted: string[] = [];
    receiver.reply = (webhook) => {
      const first = !seen.has(webhook.json.id);
      seen.add(webhook.json.id);
      if (first && seen.size % 5 === 0) return { status: 500 };
      accepted.push(webhook.json.id);
      return { status: 200, delayMs: Math.floor(Math.random() * 8) };
    };
    await createEndpoint(app, { url: receiver.url });
    const customer = await createCustomer(app);
    const results = await Promise.all(Array.from({ length: 50 }, (_, n) => put(app, customer.customer_id, { metadata: { n } })));
    expect(results.map((result) => result.status)).toEqual(Array(50).fill(200));
    await waitFor(() => accepted.length === 51, '51 accepted deliveries', 20000);

    const trail = (await app.http().get(`/admin/customers/${customer.customer_id}/events?limit=100`).set('x-api-key', READ_KEY)).body.data;
    const committedOrder = trail.map((event: { event_id: string }) => event.event_id).reverse();
    expect(accepted).toEqual(committedOrder);
    expect(receiver.received.length).toBeGreaterThan(51);
    // Each delivery carries the customer as it was after its own change.
    for (const webhook of receiver.eventsFor(customer.customer_id).filter((webhook) => webhook.json.type === 'customer.updated')) {
      expect(webhook.json.data.customer.metadata).toEqual({ n: webhook.json.data.changes.metadata.to.n });
    }
  });

  it('retries a receiver that is down for 10 s and then delivers everything, in order', async () => {
    const { start, receiver } = await scenario();
    const app = await start();
    const endpoint = await createEndpoint(app, { url: receiver.url });
    await receiver.stop();
    const customer = await createCustomer(app);
    for (const tier of ['growth', 'scale', 'enterprise']) await put(app, customer.customer_id, { tier }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const during = await deliveries(app, endpoint.webhook_endpoint_id);
    expect(during.every((delivery) => delivery.status === 'pending')).toBe(true);
    const first = during[during.length - 1];
    expect(first.attempts).toBeGreaterThan(1);
    expect(first.last_error).toBe('Connection refused');
    expect(first.next_attempt_at).not.toBeNull();
    // Later events of the customer wait behind the first instead of overtaking it.
    expect(during.slice(0, -1).every((delivery) => delivery.attempts === 0)).toBe(true);
    expect((await getEndpoint(app, endpoint.webhook_endpoint_id)).failing_since).not.toBeNull();

    await receiver.start();
    await waitFor(() => receiver.eventsFor(customer.customer_id).length === 4, 'all four deliveries after the receiver is back', 8000);
    expect(receiver.eventsFor(customer.customer_id).map((webhook) => webhook.json.type)).toEqual([
      'customer.created',
      'customer.updated',
      'customer.updated',
      'customer.updated',
    ]);
    expect(
      receiver
        .eventsFor(customer.customer_id)
        .slice(1)
        .map((webhook) => webhook.json.data.customer.tier),
    ).toEqual(['growth', 'scale', 'enterprise']);
    await waitFor(async () => (await deliveries(app, endpoint.webhook_endpoint_id)).every((delivery) => delivery.status === 'succeeded'), 'succeeded log');
    const after = await deliveries(app, endpoint.webhook_endpoint_id);
    expect(after[after.length - 1].attempts).toBeGreaterThan(1);
    expect((await getEndpoint(app, endpoint.webhook_endpoint_id)).failing_since).toBeNull();
  }, 40_000);

  it('disables an endpoint that answers 410 Gone, and sends pending deliveries when it is enabled again', async () => {
    const { start, receiver } = await scenario();
    const app = await start();
    receiver.reply = () => ({ status: 410, body: 'gone' });
    const endpoint = await createEndpoint(app, { url: receiver.url });
    const customer = await createCustomer(app);
    await waitFor(async () => !(await getEndpoint(app, endpoint.webhook_endpoint_id)).enabled, 'the endpoint disabled');
    const disabled = await getEndpoint(app, endpoint.webhook_endpoint_id);
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'The receiver answered 410 Gone', disabled_at: expect.any(String) });
    const [gone] = await deliveries(app, endpoint.webhook_endpoint_id);
    expect(gone).toMatchObject({ status: 'failed', attempts: 1, last_response_status: 410, last_response_body: 'gone', next_attempt_at: null });

    // Disabled: no new deliveries are made, and a retry is refused.
    await put(app, customer.customer_id, { tier: 'growth' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await deliveries(app, endpoint.webhook_endpoint_id)).toHaveLength(1);
    const refused = await app
      .http()
      .post(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}/deliveries/${gone.delivery_id}/retry`)
      .set('x-api-key', WRITE_KEY);
    expect(refused.status).toBe(409);
    expect(refused.body.title).toBe('Webhook endpoint disabled');

    receiver.reply = () => ({ status: 204 });
    const enabled = await app
      .http()
      .put(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}`)
      .set('x-api-key', WRITE_KEY)
      .send({ enabled: true })
      .expect(200);
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null });
    const retried = await app
      .http()
      .post(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}/deliveries/${gone.delivery_id}/retry`)
      .set('x-api-key', WRITE_KEY)
      .expect(202);
    expect(retried.body).toMatchObject({ delivery_id: gone.delivery_id, status: 'pending' });
    await waitFor(async () => (await deliveries(app, endpoint.webhook_endpoint_id, '&status=succeeded')).length === 1, 'the retried delivery');
    const [succeeded] = await deliveries(app, endpoint.webhook_endpoint_id, '&status=succeeded');
    expect(succeeded).toMatchObject({ delivery_id: gone.delivery_id, attempts: 2, last_response_status: 204 });
    expect(receiver.received.map((webhook) => webhook.json.id)).toEqual([gone.event_id, gone.event_id]);
  });

  it('disables an endpoint whose every attempt failed for the configured time', async () => {
    const { start, receiver } = await scenario({ WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: '1' });
    const app = await start();
    receiver.reply = () => ({ status: 503 });
    const endpoint = await createEndpoint(app, { url: receiver.url });
    await createCustomer(app);
    await waitFor(async () => !(await getEndpoint(app, endpoint.webhook_endpoint_id)).enabled, 'the endpoint disabled', 8000);
    expect((await getEndpoint(app, endpoint.webhook_endpoint_id)).disabled_reason).toMatch(/^Every delivery attempt failed for 1 s \(since /);
    const [delivery] = await deliveries(app, endpoint.webhook_endpoint_id);
    expect(delivery).toMatchObject({ status: 'pending', last_response_status: 503 });
    const metrics = await app.http().get('/metrics').set('x-api-key', READ_KEY).expect(200);
    expect(metrics.text).toContain('webhook_endpoints_disabled_total{reason="failing"} 1');
  });

  it('keeps serving while every delivery slot is busy with a slow receiver', async () => {
    const { start, receiver } = await scenario({ WEBHOOK_CONCURRENCY: '1' });
    const app = await start();
    receiver.reply = () => ({ status: 200, delayMs: 400 });
    await createEndpoint(app, { url: receiver.url });
    const customers = [await createCustomer(app), await createCustomer(app)];
    await waitFor(() => receiver.received.length === 1, 'the first delivery in flight');
    // More events while the only slot is taken: the worker must wait for it, not spin.
    for (const customer of customers) await put(app, customer.customer_id, { tier: 'growth' }).expect(200);
    const started = Date.now();
    await app.http().get('/health/live').timeout(2000).expect(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await waitFor(() => receiver.received.length === 4, 'every delivery, one at a time', 8000);
  });

  it('with two processes, delivers each event exactly once', async () => {
    const { start, receiver } = await scenario();
    const [first, second] = [await start(), await start()];
    await createEndpoint(first, { url: receiver.url });
    const customers = await Promise.all(Array.from({ length: 6 }, (_, n) => createCustomer(n % 2 ? first : second)));
    await Promise.all(
      customers.flatMap((customer, n) => ['growth', 'scale', 'enterprise'].map((tier) => put(n % 2 ? second : first, customer.customer_id, { tier }))),
    );
    await waitFor(() => receiver.received.length >= 24, '24 deliveries', 10000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ids = receiver.received.map((webhook) => webhook.json.id);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    const succeeded = async () =>
      (await first.dataSource.query(`SELECT count(*)::int AS count FROM webhook_deliveries WHERE status = 'succeeded' AND attempts = 1`))[0].count;
    await waitFor(async () => (await succeeded()) === 24, 'every delivery recorded as succeeded at its first attempt');
  });

  it('a live worker keeps renewing its lease: an attempt slower than the lease is not sent again by another worker', async () => {
    const { start, receiver } = await scenario();
    const [first, second] = [await start(), await start()];
    await createEndpoint(first, { url: receiver.url });
    receiver.reply = () => (receiver.received.length === 1 ? { status: 200, delayMs: LEASE_MS + 1500 } : { status: 200 });
    const customer = await createCustomer(second);
    await waitFor(() => receiver.received.length === 1, 'the slow attempt');
    await waitFor(
      async () =>
        (await first.dataSource.query(`SELECT status FROM webhook_deliveries WHERE customer_id = $1`, [customer.customer_id]))[0]?.status === 'succeeded',
      'the slow attempt recorded as succeeded',
      LEASE_MS + 5000,
    );
    const [row] = await first.dataSource.query('SELECT attempts FROM webhook_deliveries WHERE customer_id = $1', [customer.customer_id]);
    expect(row.attempts).toBe(1);
    expect(receiver.eventsFor(customer.customer_id)).toHaveLength(1);
  });

  it('takes over the delivery of a worker killed mid-attempt within 15 s, and sends it exactly once more', async () => {
    const { database, receiver, start } = await scenario();
    const api = await start({ WEBHOOK_DELIVERY_ENABLED: 'false' });
    await createEndpoint(api, { url: receiver.url });
    // The first attempt hangs at the receiver; the process sending it is then killed.
    receiver.reply = () => (receiver.received.length === 1 ? { status: 200, delayMs: 60_000 } : { status: 200 });
    const processEnv = {
      DATABASE_URL: database.url,
      ADMIN_API_KEYS: TEST_ADMIN_API_KEYS,
      NODE_ENV: 'test',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      ...FAST_RETRIES,
    };
    const doomed = startAppProcess(processEnv);
    cleanups.push(async () => void doomed.child.kill('SIGKILL'));
    await waitForReady(doomed);
    const customer = await createCustomer(api);
    await waitFor(() => receiver.eventsFor(customer.customer_id).length === 1, 'the first attempt', 10_000);
    const survivor = startAppProcess(processEnv);
    cleanups.push(async () => void (await stopAppProcess(survivor)));
    await waitForReady(survivor);
    // Later changes of the same customer wait behind the lost one (order per customer), then follow it.
    await put(api, customer.customer_id, { tier: 'scale' }).expect(200);

    doomed.child.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor(() => receiver.eventsFor(customer.customer_id).length === 3, 'the taken-over attempt and the next change', 20_000);
    const [first, retried, next] = receiver.eventsFor(customer.customer_id);
    expect(retried.json.id).toBe(first.json.id);
    expect(retried.receivedAt - killedAt).toBeLessThan(15_000);
    expect(next.json.type).toBe('customer.updated');
    console.log(`delivery taken over ${retried.receivedAt - killedAt} ms after SIGKILL`);
    await waitFor(
      async () => (await api.dataSource.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'succeeded'`))[0].n === 2,
      'both deliveries recorded as succeeded',
    );
    const [taken] = await api.dataSource.query('SELECT attempts FROM webhook_deliveries WHERE event_id = $1', [first.json.id]);
    expect(taken.attempts).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.eventsFor(customer.customer_id)).toHaveLength(3);
  });

  it('resumes a delivery waiting out its backoff after a restart', async () => {
    const { start, stop, receiver } = await scenario({ WEBHOOK_RETRY_SCHEDULE: '3s' });
    let app = await start();
    receiver.reply = () => ({ status: 500, body: 'not yet' });
    const endpoint = await createEndpoint(app, { url: receiver.url });
    const customer = await createCustomer(app);
    // attempts counts from the claim; the outcome is recorded when the answer is in.
    await waitFor(async () => (await deliveries(app, endpoint.webhook_endpoint_id))[0]?.last_response_status === 500, 'the first attempt recorded');
    const [waiting] = await deliveries(app, endpoint.webhook_endpoint_id);
    expect(waiting).toMatchObject({ status: 'pending', last_response_status: 500, last_response_body: 'not yet' });
    expect(Date.parse(waiting.next_attempt_at)).toBeGreaterThan(Date.now());
    await stop(app);

    receiver.reply = () => ({ status: 200 });
    app = await start({ WEBHOOK_RETRY_SCHEDULE: '3s' });
    await waitFor(() => receiver.eventsFor(customer.customer_id).length === 2, 'the retry after the restart', 8000);
    await waitFor(async () => (await deliveries(app, endpoint.webhook_endpoint_id))[0]?.status === 'succeeded', 'succeeded');
    const [delivered] = await deliveries(app, endpoint.webhook_endpoint_id);
    expect(delivered).toMatchObject({ attempts: 2, last_response_status: 200 });
    // Not before its scheduled time (3 s ± 20 % after the first attempt).
    const [firstAttempt, secondAttempt] = receiver.eventsFor(customer.customer_id).map((webhook) => webhook.receivedAt);
    expect(secondAttempt - firstAttempt).toBeGreaterThanOrEqual(2300);
  }, 30_000);

  it('signs with both secrets for a day after a rotation, and never returns a secret again', async () => {
    const { start, receiver } = await scenario();
    const app = await start();
    const endpoint = await createEndpoint(app, { url: receiver.url });
    const rotated = await app.http().post(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}/rotate-secret`).set('x-api-key', WRITE_KEY).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const expires = Date.parse(rotated.body.previous_secret_expires_at);
    expect(expires - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(await getEndpoint(app, endpoint.webhook_endpoint_id)).not.toHaveProperty('secret');

    const customer = await createCustomer(app);
    await waitFor(() => receiver.eventsFor(customer.customer_id).length === 1, 'a delivery');
    const [webhook] = receiver.eventsFor(customer.customer_id);
    expect(String(webhook.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.body.secret]) {
      expect(() => new Webhook(secret).verify(webhook.body, webhook.headers as Record<string, string>)).not.toThrow();
    }
  });

  describe('secrets encrypted at rest', () => {
    const KEY_1 = Buffer.alloc(32, 1).toString('base64');
    const KEY_2 = Buffer.alloc(32, 2).toString('base64');
    const storedRows = async (app: TestApp) =>
      app.dataSource.query<{ webhook_endpoint_id: string; secret: string; previous_secret: string | null }[]>('SELECT * FROM webhook_endpoints');
    const keysCli = (env: Record<string, string>, ...args: string[]) =>
      promisify(execFile)(process.execPath, [join(__dirname, '..', 'dist', 'scripts', 'keys.js'), ...args], { env: { PATH: process.env.PATH, ...env } });
    const verified = async (receiver: WebhookReceiver, app: TestApp, secret: string) => {
      const customer = await createCustomer(app);
      await waitFor(() => receiver.eventsFor(customer.customer_id).length === 1, 'a delivery');
      const [webhook] = receiver.eventsFor(customer.customer_id);
      expect(() => new Webhook(secret).verify(webhook.body, webhook.headers as Record<string, string>)).not.toThrow();
    };

    it('no table holds a usable secret, before or after a rotation', async () => {
      const { start, receiver } = await scenario();
      const app = await start();
      const endpoint = await createEndpoint(app, { url: receiver.url });
      const rotated = (await app.http().post(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}/rotate-secret`).set('x-api-key', WRITE_KEY).expect(200))
        .body.secret as string;
      const [row] = await storedRows(app);
      expect(row.secret).toMatch(/^enc:v1:[0-9a-f]{8}:/);
      expect(row.previous_secret).toMatch(/^enc:v1:[0-9a-f]{8}:/);
      const dump =
        JSON.stringify(await app.dataSource.query('SELECT * FROM webhook_endpoints')) +
        JSON.stringify(await app.dataSource.query('SELECT * FROM webhook_deliveries'));
      for (const secret of [endpoint.secret as string, rotated]) {
        expect(dump).not.toContain(secret.slice('whsec_'.length));
        expect(dump).not.toContain(Buffer.from(secret.slice('whsec_'.length), 'base64').toString('hex'));
      }
      await verified(receiver, app, rotated);
    });

    it('rotates the encryption key: old and new key side by side, re-encryption, then the new key alone; a secret under a dropped key is not sent', async () => {
      const { start, stop, receiver, database } = await scenario({ WEBHOOK_SECRETS_ENCRYPTION_KEYS: KEY_1 });
      const first = await start();
      const endpoint = await createEndpoint(first, { url: receiver.url });
      await stop(first);

      const both = await start({ WEBHOOK_SECRETS_ENCRYPTION_KEYS: `${KEY_2},${KEY_1}` });
      await verified(receiver, both, endpoint.secret);
      const before = (await storedRows(both))[0].secret;
      const { stdout } = await keysCli({ DATABASE_URL: database.url, WEBHOOK_SECRETS_ENCRYPTION_KEYS: `${KEY_2},${KEY_1}` }, 'reencrypt-webhook-secrets');
      expect(stdout).toContain('Re-encrypted the secrets of 1 webhook endpoints');
      const after = (await storedRows(both))[0].secret;
      expect(after).not.toBe(before);
      expect(after.split(':')[2]).not.toBe(before.split(':')[2]);
      await stop(both);

      const second = await start({ WEBHOOK_SECRETS_ENCRYPTION_KEYS: KEY_2 });
      await verified(receiver, second, endpoint.secret);
      await stop(second);

      const dropped = await start({ WEBHOOK_SECRETS_ENCRYPTION_KEYS: KEY_1 });
      const customer = await createCustomer(dropped);
      await waitFor(
        async () => (await deliveries(dropped, endpoint.webhook_endpoint_id)).some((d) => d.customer_id === customer.customer_id && d.attempts > 0),
        'an attempt',
      );
      const [attempt] = (await deliveries(dropped, endpoint.webhook_endpoint_id)).filter((d) => d.customer_id === customer.customer_id);
      expect(attempt).toMatchObject({ status: 'pending', last_response_status: null });
      expect(attempt.last_error).toMatch(/not in WEBHOOK_SECRETS_ENCRYPTION_KEYS/);
      expect(receiver.eventsFor(customer.customer_id)).toHaveLength(0);
    });

    it('encrypts a secret stored in clear (by a version before encryption) at start-up, and still signs with it', async () => {
      const { start, stop, receiver } = await scenario();
      const first = await start();
      const endpoint = await createEndpoint(first, { url: receiver.url });
      await first.dataSource.query('UPDATE webhook_endpoints SET secret = $1', [endpoint.secret]);
      await stop(first);
      const next = await start();
      const [row] = await storedRows(next);
      expect(row.secret).toMatch(/^enc:v1:/);
      await verified(receiver, next, endpoint.secret);
    });
  });

  it('never writes a secret to the logs, even at trace level with deliveries failing', async () => {
    const { database, receiver } = await scenario();
    receiver.reply = () => ({ status: 500, body: 'receiver error' });
    const app = startAppProcess({
      DATABASE_URL: database.url,
      ADMIN_API_KEYS: TEST_ADMIN_API_KEYS,
      LOG_LEVEL: 'trace',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      ...FAST_RETRIES,
    });
    try {
      const url = await waitForReady(app);
      const call = (path: string, init: RequestInit = {}) =>
        fetch(`${url}${path}`, { ...init, headers: { 'x-api-key': WRITE_KEY, 'content-type': 'application/json', ...init.headers } }).then((response) =>
          response.json(),
        );
      const endpoint = await call('/admin/webhook-endpoints', { method: 'POST', body: JSON.stringify({ url: receiver.url }) });
      const rotated = await call(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}/rotate-secret`, { method: 'POST' });
      await call('/admin/customers', { method: 'POST', body: JSON.stringify({ company_name: 'Logged Ltd', contact_email: 'log@example.com' }) });
      await waitFor(() => receiver.received.length >= 2, 'a retried delivery', 5000);
      await call(`/admin/webhook-endpoints/${endpoint.webhook_endpoint_id}`, { method: 'PUT', body: JSON.stringify({ url: 'ftp://nowhere' }) });
      for (const secret of [endpoint.secret, rotated.secret]) {
        expect(secret).toMatch(/^whsec_/);
        expect(app.output()).not.toContain(secret.slice('whsec_'.length));
      }
      expect(app.output()).toContain('/admin/webhook-endpoints');
    } finally {
      await stopAppProcess(app);
    }
  });
});
