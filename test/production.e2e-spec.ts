import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { createCustomer, customerRow } from './support/customers';
import { createTestApp, READ_KEY, TestApp, WRITE_KEY } from './support/test-app';
import { waitFor } from './support/wait-for';

const run = promisify(execFile);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('Production readiness (e2e)', () => {
  describe('every route needs an admin key, except health and docs', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp()));
    afterAll(async () => t.close());

    it('enumerates the router and calls each route without a key', async () => {
      const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: any[] } }).router;
      const routes = router.stack
        .filter((layer) => layer.route)
        .flatMap((layer) => Object.keys(layer.route.methods).map((method) => ({ method, path: layer.route.path as string })));
      const adminRoutes = routes.filter((route) => route.path.startsWith('/admin'));
      expect(adminRoutes.length).toBeGreaterThanOrEqual(6);
      expect(routes.map((r) => `${r.method.toUpperCase()} ${r.path}`)).toEqual(expect.arrayContaining(['GET /metrics', 'PUT /admin/customers/:customer_id']));

      for (const { method, path } of routes) {
        const url = path.replace(/:[a-z_]+/g, randomUUID());
        const response = await (t.http() as any)[method](url).send({});
        const isPublic = path.startsWith('/health') || path.startsWith('/docs') || path.startsWith('/problems');
        if (isPublic) expect({ method, path, status: response.status }).not.toEqual({ method, path, status: 401 });
        else expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
      }
    });
  });

  describe('named keys from `npm run keys`', () => {
    let t: TestApp;
    const keysCli = (...args: string[]) =>
      run(process.execPath, [join(__dirname, '..', 'dist', 'scripts', 'keys.js'), ...args], {
        env: { PATH: process.env.PATH, DATABASE_URL: process.env.DATABASE_URL },
      });

    beforeAll(async () => (t = await createTestApp()));
    afterAll(async () => t.close());

    it('creates hashed keys with a scope, lists them without secrets, and revokes them at once', async () => {
      const name = `ops-${randomUUID().slice(0, 8)}`;
      const created = await keysCli('create', '--name', name, '--scope', 'write');
      const secret = /^\s+(cak_\S+)$/m.exec(created.stdout)![1];
      const readName = `${name}-ro`;
      const readSecret = /^\s+(cak_\S+)$/m.exec((await keysCli('create', '--name', readName, '--scope', 'read')).stdout)![1];

      const [stored] = await t.dataSource.query('SELECT * FROM admin_api_keys WHERE name = $1', [name]);
      expect(stored.scope).toBe('write');
      expect(JSON.stringify(stored)).not.toContain(secret);

      const customer = await createCustomer(t);
      const put = (key: string) => t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', key).send({ tier: 'growth' });
      expect((await put(secret)).status).toBe(200);
      const [event] = await t.dataSource.query(`SELECT actor FROM customer_events WHERE customer_id = $1 AND type = 'customer.updated'`, [
        customer.customer_id,
      ]);
      expect(event.actor).toBe(name);

      expect((await t.http().get(`/admin/customers/${customer.customer_id}`).set('x-api-key', readSecret)).status).toBe(200);
      const forbidden = await put(readSecret);
      expect(forbidden.status).toBe(403);
      expect(forbidden.headers['content-type']).toMatch(/problem\+json/);

      const listed = await keysCli('list');
      expect(listed.stdout).toContain(name);
      expect(listed.stdout).not.toContain(secret);

      await expect(keysCli('create', '--name', name, '--scope', 'write')).rejects.toMatchObject({ stderr: expect.stringMatching(/exists already/) });
      await keysCli('revoke', '--name', name);
      expect((await put(secret)).status).toBe(401);
      await expect(keysCli('revoke', '--name', name)).rejects.toMatchObject({ stderr: expect.stringMatching(/No active key/) });
      await expect(keysCli('create', '--name', 'x', '--scope', 'admin')).rejects.toMatchObject({
        stderr: expect.stringMatching(/--scope must be read or write/),
      });
      // Seven CLI processes of 1-2 s each (Node, TypeORM's metadata, the migrations check): 27 s beside the suite on the server database.
    }, 90_000);

    it('a name identifies one key: the CLI refuses a name ADMIN_API_KEYS uses, and start-up refuses an environment key named like a stored one', async () => {
      const name = `dup-${randomUUID().slice(0, 8)}`;
      const refused = run(process.execPath, [join(__dirname, '..', 'dist', 'scripts', 'keys.js'), 'create', '--name', name, '--scope', 'write'], {
        env: { PATH: process.env.PATH, DATABASE_URL: process.env.DATABASE_URL, ADMIN_API_KEYS: `${name}:write:${'s'.repeat(40)}` },
      });
      await expect(refused).rejects.toMatchObject({ stderr: expect.stringMatching(/name of a key in ADMIN_API_KEYS/) });
      await expect(keysCli('create', '--name', 'generated', '--scope', 'write')).rejects.toMatchObject({
        stderr: expect.stringMatching(/name of a key in ADMIN_API_KEYS/),
      });

      await keysCli('create', '--name', name, '--scope', 'read');
      try {
        await expect(createTestApp({ ADMIN_API_KEYS: `${name}:write:some-other-secret-0123456789` })).rejects.toThrow(
          /ADMIN_API_KEYS names "dup-.*", also the name of an active key/,
        );
      } finally {
        await keysCli('revoke', '--name', name);
      }
    });

    it('a key made with --expires-in works until then, is refused with 401 saying it expired afterwards (across a restart), and shows its last use', async () => {
      const name = `temp-${randomUUID().slice(0, 8)}`;
      await expect(keysCli('create', '--name', name, '--scope', 'read', '--expires-in', '90 days')).rejects.toMatchObject({
        stderr: expect.stringMatching(/--expires-in .*90d/),
      });
      const created = await keysCli('create', '--name', name, '--scope', 'read', '--expires-in', '8s');
      expect(created.stdout).toMatch(/expires at \d{4}-\d\d-\d\dT/);
      const secret = /^\s+(cak_\S+)$/m.exec(created.stdout)![1];
      const lastUsed = async () => (await t.dataSource.query('SELECT last_used_at FROM admin_api_keys WHERE name = $1', [name]))[0].last_used_at as Date | null;

      expect(await lastUsed()).toBeNull();
      for (let i = 0; i < 5; i++) await t.http().get('/admin/tiers').set('x-api-key', secret).expect(200);
      await waitFor(async () => (await lastUsed()) !== null, 'last_used_at to be written');
      const first = await lastUsed();
      await t.http().get('/admin/tiers').set('x-api-key', secret).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await lastUsed()).toEqual(first); // at most once a minute: no write per request
      const listed = (await keysCli('list')).stdout;
      expect(listed).toMatch(new RegExp(`${name}.*read.*active.*\\d{4}-.*\\d{4}-.*${first!.toISOString().slice(0, 16)}`));
      expect(listed).toContain('never expire');

      const restarted = await createTestApp();
      try {
        const [{ expires_at }] = await t.dataSource.query('SELECT expires_at FROM admin_api_keys WHERE name = $1', [name]);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(expires_at).getTime() - Date.now() + 100)));
        const refused = await restarted.http().get('/admin/tiers').set('x-api-key', secret);
        expect(refused.status).toBe(401);
        expect(refused.body.detail).toContain(`"${name}" expired at ${new Date(expires_at).toISOString()}`);
        expect((await keysCli('list')).stdout).toMatch(new RegExp(`${name}.*expired`));
        await restarted.http().get('/admin/tiers').set('x-api-key', READ_KEY).expect(200); // environment keys never expire
      } finally {
        await restarted.close();
        await keysCli('revoke', '--name', name);
      }
    });

    it('ADMIN_API_KEYS accepts bare and name:scope:secret keys side by side (rotation)', async () => {
      const rotated = await createTestApp({ ADMIN_API_KEYS: `old-secret-1, new:write:new-secret-2, viewer:read:view-secret-3` });
      try {
        const customer = await createCustomer(t);
        for (const key of ['old-secret-1', 'new-secret-2']) {
          await rotated.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', key).send({ status: 'suspended' }).expect(200);
        }
        await rotated.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', 'view-secret-3').send({ status: 'active' }).expect(403);
        await rotated.http().get(`/admin/customers/${customer.customer_id}`).set('x-api-key', 'view-secret-3').expect(200);
      } finally {
        await rotated.close();
      }
    });
  });

  describe('throttling', () => {
    const expectThrottled = (response: any, limit: number) => {
      expect(response.status).toBe(429);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.body.detail).toMatch(new RegExp(`${limit} requests per`));
    };

    it('limits each admin key in memory, with RateLimit-* headers', async () => {
      const t = await createTestApp({ THROTTLE_LIMIT: '3', THROTTLE_TTL_SECONDS: '60' });
      try {
        const get = (key: string) => t.http().get('/admin/tiers').set('x-api-key', key);
        const first = await get(WRITE_KEY);
        expect(first.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '2' });
        expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0);
        await get(WRITE_KEY).expect(200);
        await get(WRITE_KEY).expect(200);
        const throttled = await get(WRITE_KEY);
        expectThrottled(throttled, 3);
        expect(throttled.headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-remaining': '0' });
        expect(Number(throttled.headers['ratelimit-reset'])).toBeGreaterThan(0);
        await get(READ_KEY).expect(200);
        await t.http().get('/health').expect(200);
      } finally {
        await t.close();
      }
    });

    it('shares the counts between instances through Redis (REDIS_URL)', async () => {
      const name = `rl-${randomUUID().slice(0, 8)}`;
      const env = { THROTTLE_LIMIT: '4', THROTTLE_TTL_SECONDS: '60', REDIS_URL, ADMIN_API_KEYS: `${name}:write:secret-${name}` };
      const a = await createTestApp(env);
      const b = await createTestApp(env);
      const redis = new Redis(REDIS_URL);
      try {
        const get = (t: TestApp) => t.http().get('/admin/tiers').set('x-api-key', `secret-${name}`);
        await get(a).expect(200);
        await get(b).expect(200);
        await get(a).expect(200);
        const last = await get(b);
        expect(last.status).toBe(200);
        expect(last.headers['ratelimit-remaining']).toBe('0');
        expectThrottled(await get(a), 4);
        expectThrottled(await get(b), 4);
        expect((await redis.keys(`*`)).length).toBeGreaterThan(0);
        await a
          .http()
          .get('/health/ready')
          .expect(200)
          .expect((response) => expect(response.body.details.redis.status).toBe('up'));
      } finally {
        redis.disconnect();
        await a.close();
        await b.close();
      }
    });
  });

  describe('hardening and hostile input', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp()));
    afterAll(async () => t.close());

    const put = (id: string) => t.http().put(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY);

    it('413 for a body over 64 KB, nothing written', async () => {
      const customer = await createCustomer(t);
      const response = await put(customer.customer_id).send({ company_name: 'x'.repeat(70 * 1024) });
      expect(response.status).toBe(413);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect((await customerRow(t.dataSource, customer.customer_id)).company_name).toBe(customer.company_name);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])('415 for a %s body', async (type) => {
      const customer = await createCustomer(t);
      const response = await put(customer.customer_id).set('Content-Type', type).send('tier=scale');
      expect(response.status).toBe(415);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect((await customerRow(t.dataSource, customer.customer_id)).tier).toBe('starter');
    });

    it('400 for deeply nested or huge metadata', async () => {
      const customer = await createCustomer(t);
      let nested: any = { leaf: 1 };
      for (let i = 0; i < 200; i++) nested = { n: nested };
      const deep = await put(customer.customer_id).send({ metadata: nested });
      expect(deep.status).toBe(400);
      const huge = await put(customer.customer_id).send({ metadata: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])) });
      expect(huge.status).toBe(400);
      expect(huge.body.errors[0].field).toBe('metadata');
    });

    it('prototype-pollution keys are rejected and never reach the process', async () => {
      const customer = await createCustomer(t);
      for (const body of ['{"metadata":{"__proto__":{"isAdmin":true}}}', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}']) {
        const response = await put(customer.customer_id).set('Content-Type', 'application/json').send(body);
        expect(response.status).toBe(400);
      }
      expect(({} as any).isAdmin).toBeUndefined();
      expect((await customerRow(t.dataSource, customer.customer_id)).metadata).toEqual({});
    });

    it.each([
      ['{"company_name":"a\\u0000b"}', 'company_name'],
      ['{"company_name":"\\ud800 lone surrogate"}', 'company_name'],
      ['{"metadata":{"note":"a\\u0000b"}}', 'metadata'],
      ['{"metadata":{"a\\u0000":"x"}}', 'metadata'],
      ['{"metadata":{"note":"\\udc00"}}', 'metadata'],
    ])('400 for text PostgreSQL cannot store: %s', async (body, field) => {
      const customer = await createCustomer(t);
      const response = await put(customer.customer_id).set('Content-Type', 'application/json').send(body);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe(field);
      expect((await customerRow(t.dataSource, customer.customer_id)).company_name).toBe(customer.company_name);
    });

    it('400 for a NUL in a query parameter', async () => {
      const response = await t.http().get('/admin/customers?q=a%00b').set('x-api-key', WRITE_KEY);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].field).toBe('q');
    });

    it('keeps well-formed astral characters (emoji) intact', async () => {
      const customer = await createCustomer(t);
      await put(customer.customer_id)
        .send({ company_name: 'Rocket 🚀 Ltd', metadata: { mood: '😀' } })
        .expect(200);
      expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({ company_name: 'Rocket 🚀 Ltd', metadata: { mood: '😀' } });
    });

    it('stores SQL-looking strings literally', async () => {
      const customer = await createCustomer(t);
      const name = "Robert'); DROP TABLE customers;--";
      const note = "' OR 1=1 --";
      const response = await put(customer.customer_id)
        .send({ company_name: name, metadata: { note, [`x'y`]: 'z' } })
        .expect(200);
      expect(response.body.company_name).toBe(name);
      expect(await customerRow(t.dataSource, customer.customer_id)).toMatchObject({ company_name: name, metadata: { note, [`x'y`]: 'z' } });
      const listed = await t.http().get('/admin/customers').query({ q: "Robert'); DROP" }).set('x-api-key', WRITE_KEY).expect(200);
      expect(listed.body.data.map((c: any) => c.customer_id)).toContain(customer.customer_id);
    });

    it('sends security headers, no x-powered-by, no CORS unless configured, and a request id everywhere', async () => {
      const response = await t.http().get('/health').set('Origin', 'https://evil.example');
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const problem = await t.http().get('/admin/tiers').set('x-request-id', 'trace-me-123');
      expect(problem.headers['x-request-id']).toBe('trace-me-123');
      expect(problem.body.request_id).toBe('trace-me-123');
      const invalidId = await t.http().get('/health').set('x-request-id', 'bad id with spaces');
      expect(invalidId.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('allows only the configured CORS origins', async () => {
      const cors = await createTestApp({ CORS_ORIGINS: 'https://admin.example.com' });
      try {
        const allowed = await cors.http().options('/admin/tiers').set('Origin', 'https://admin.example.com').set('Access-Control-Request-Method', 'GET');
        expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.example.com');
        const denied = await cors.http().get('/health').set('Origin', 'https://evil.example');
        expect(denied.headers['access-control-allow-origin']).toBeUndefined();
      } finally {
        await cors.close();
      }
    });
  });

  describe('health and metrics', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp()));
    afterAll(async () => t.close());

    it('/health/live and /health/ready answer without a key', async () => {
      expect((await t.http().get('/health/live').expect(200)).body.status).toBe('ok');
      const ready = await t.http().get('/health/ready').expect(200);
      expect(ready.body.details.database.status).toBe('up');
      expect(ready.body.details.redis).toBeUndefined();
    });

    it('/metrics counts requests per route, for admin keys only', async () => {
      await t.http().get('/admin/tiers').set('x-api-key', READ_KEY).expect(200);
      await t.http().get('/metrics').expect(401);
      const metrics = await t.http().get('/metrics').set('x-api-key', READ_KEY).expect(200);
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
      expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/admin\/tiers",status="200"\} [1-9]/);
      expect(metrics.text).toMatch(/http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/admin\/tiers"\}/);
      expect(metrics.text).toContain('process_resident_memory_bytes');
    });

    it('/metrics also counts requests no route matched and requests refused before their handler', async () => {
      await t.http().get('/no/such/path').set('x-api-key', READ_KEY).expect(404);
      await t.http().get('/admin/tiers').expect(401);
      const metrics = await t.http().get('/metrics').set('x-api-key', READ_KEY).expect(200);
      expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"\} [1-9]/);
      expect(metrics.text).toMatch(/http_requests_total\{method="GET",route="\/admin\/tiers",status="401"\} [1-9]/);
    });
  });
});
