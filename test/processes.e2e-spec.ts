import { createServer } from 'node:net';
import { Client } from 'pg';
import { createCustomer } from './support/customers';
import { AppProcess, startAppProcess, stopAppProcess, waitForReady } from './support/app-process';
import { createTestApp, TestApp } from './support/test-app';

const SECRET = 'process-test-secret-0123456789';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The built service (`node dist/main.js`) as separate processes on the suite's database. */
describe('Service processes (e2e)', () => {
  let t: TestApp;
  const processes: AppProcess[] = [];

  const start = async (env: Record<string, string> = {}) => {
    const app = startAppProcess({ DATABASE_URL: process.env.DATABASE_URL!, ADMIN_API_KEYS: `proc:write:${SECRET}`, LOG_LEVEL: 'info', ...env });
    processes.push(app);
    await waitForReady(app);
    return app;
  };
  const put = (app: AppProcess, id: string, body: object, requestId?: string) =>
    fetch(`${app.baseUrl}/admin/customers/${id}`, {
      method: 'PUT',
      headers: { 'x-api-key': SECRET, 'content-type': 'application/json', ...(requestId ? { 'x-request-id': requestId } : {}) },
      body: JSON.stringify(body),
    });

  beforeAll(async () => (t = await createTestApp()));
  afterAll(async () => {
    await Promise.all(processes.map(stopAppProcess));
    await t.close();
  });

  it('two app processes on one database lose no concurrent update', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const customer = await createCustomer(t);
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        put(i % 2 === 0 ? a : b, customer.customer_id, i % 4 < 2 ? { metadata: { [`key_${i}`]: i } } : { company_name: `Name ${i}` }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    const [row] = await t.dataSource.query('SELECT metadata, version FROM customers WHERE customer_id = $1', [customer.customer_id]);
    expect(Object.keys(row.metadata)).toHaveLength(50);
    expect(row.version).toBe(101);
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int FROM customer_events WHERE customer_id = $1 AND type = 'customer.updated'`, [
      customer.customer_id,
    ]);
    expect(count).toBe(100);
  });

  it('logs one JSON line per request with method, route, status, duration, request id and actor, never the key', async () => {
    const app = processes[0];
    const customer = await createCustomer(t);
    await put(app, customer.customer_id, { tier: 'scale' }, 'log-check-1');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    const line = lines.find((entry) => entry.requestId === 'log-check-1');
    expect(line).toMatchObject({
      level: 30,
      req: { method: 'PUT', url: `/admin/customers/${customer.customer_id}` },
      res: { statusCode: 200 },
      route: '/admin/customers/:customer_id',
      actor: 'proc',
      responseTime: expect.any(Number),
    });
    expect(app.output()).not.toContain(SECRET);

    // A key sent in the URL is refused, and its value never reaches the log.
    const inUrl = `url-secret-${Date.now()}`;
    expect((await fetch(`${app.baseUrl}/admin/tiers?x-api-key=${inUrl}&api_key=${inUrl}&token=${inUrl}`)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.output()).toContain('x-api-key=[redacted]');
    expect(app.output()).not.toContain(inUrl);
  });

  it('honours LOG_LEVEL: at warn, successful requests are not logged but errors are', async () => {
    // At warn the "ready" line is not printed either, so wait on /health/live at a known port.
    const port = await freePort();
    const app = startAppProcess({ DATABASE_URL: process.env.DATABASE_URL!, ADMIN_API_KEYS: `proc:write:${SECRET}`, LOG_LEVEL: 'warn', PORT: String(port) });
    processes.push(app);
    app.baseUrl = `http://127.0.0.1:${port}`;
    for (
      let attempt = 0;
      attempt < 100 &&
      !(await fetch(`${app.baseUrl}/health/live`).then(
        (r) => r.ok,
        () => false,
      ));
      attempt++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const customer = await createCustomer(t);
    expect((await put(app, customer.customer_id, { status: 'suspended' }, 'quiet-ok')).status).toBe(200);
    expect((await put(app, customer.customer_id, { status: 'gone' }, 'loud-400')).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.output()).not.toContain('quiet-ok');
    expect(app.output()).toContain('"requestId":"loud-400"');
    await stopAppProcess(app);
  });

  it('on SIGTERM finishes in-flight requests, refuses new ones, and exits 0', async () => {
    const app = await start();
    const customer = await createCustomer(t);
    const locker = new Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM customers WHERE customer_id = $1 FOR UPDATE', [customer.customer_id]);
      const inFlight = put(app, customer.customer_id, { tier: 'enterprise' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      app.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await expect(fetch(`${app.baseUrl}/health/live`)).rejects.toThrow();
      await locker.query('COMMIT');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect((await response.json()).tier).toBe('enterprise');
      expect(await app.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await locker.end();
    }
  });
});
