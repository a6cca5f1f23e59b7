import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { createCustomer, customerRow } from './support/customers';
import { createTestApp, READ_KEY, TestApp, WRITE_KEY } from './support/test-app';
import { createIsolatedDatabase } from './support/test-database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectProblem(response: { status: number; headers: Record<string, string>; body: any }, status: number, field?: string) {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status } });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field) expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
}

/** What adversarial probing found: each class of input or fault answered by its rule, never a 500. */
describe('Adversarial input and faults (e2e)', () => {
  let t: TestApp;
  const put = (id: string, body: object | string | Buffer, key = WRITE_KEY) =>
    t
      .http()
      .put(`/admin/customers/${id}`)
      .set('x-api-key', key)
      .send(body as object);

  beforeAll(async () => (t = await createTestApp()));
  afterAll(async () => t.close());

  describe('list date filters: RFC 3339 only, validated by the parser itself', () => {
    it.each([
      '2024-W01',
      '20240101',
      '2024-01-01T10',
      '2024-01-01T00:00:00,5Z',
      '2024-01-01T00:00:00.5+01',
      '2024-01-01T0000Z',
      '2024-01-01T00:00:00',
      '2024-13-01',
    ])('%s is 400 naming the parameter', async (value) => {
      for (const parameter of ['created_gte', 'created_lt']) {
        expectProblem(
          await t
            .http()
            .get('/admin/customers')
            .query({ [parameter]: value })
            .set('x-api-key', READ_KEY),
          400,
          parameter,
        );
      }
    });

    it('a date, a date-time with Z and one with an offset all filter', async () => {
      const customer = await createCustomer(t);
      const created = Date.parse(customer.created_at);
      const offsetForm = new Date(created - 3_600_000)
        .toISOString()
        .replace('Z', '+00:00')
        .replace(/\.\d{3}/, '.5');
      for (const created_gte of ['2000-01-01', '2000-01-01T00:00:00Z', offsetForm]) {
        const response = await t.http().get('/admin/customers').query({ created_gte, email: customer.contact_email }).set('x-api-key', READ_KEY).expect(200);
        expect(response.body.data.map((c: { customer_id: string }) => c.customer_id)).toEqual([customer.customer_id]);
      }
    });
  });

  describe('length limits count code points, as PostgreSQL does', () => {
    const heart = '\u2764\uFE0F';
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}';
    it.each([
      ['101 × ❤️ (202 code points)', heart.repeat(101), 400],
      ['200 × a + U+FE0F (400 code points)', 'a\uFE0F'.repeat(200), 400],
      ['29 ZWJ families (203 code points)', family.repeat(29), 400],
      ['201 astral letters', '\u{1D49C}'.repeat(201), 400],
      ['101 × e + combining acute (202 code points)', 'e\u0301'.repeat(101), 400],
      ['100 × ❤️ (200 code points)', heart.repeat(100), 200],
      ['28 ZWJ families (196 code points)', family.repeat(28), 200],
      ['200 astral letters', '\u{1D49C}'.repeat(200), 200],
      ['100 × e + combining acute', 'e\u0301'.repeat(100), 200],
    ])('company_name of %s', async (_label, name, status) => {
      const customer = await createCustomer(t);
      const response = await put(customer.customer_id, { company_name: name });
      expect(response.status).toBe(status);
      const row = await customerRow(t.dataSource, customer.customer_id);
      if (status === 200) expect(row.company_name).toBe(name);
      else {
        expectProblem(response, 400, 'company_name');
        expect(row.company_name).toBe(customer.company_name);
        const created = await t
          .http()
          .post('/admin/customers')
          .set('x-api-key', WRITE_KEY)
          .send({ company_name: name, contact_email: `len-${randomUUID()}@example.com` });
        expectProblem(created, 400, 'company_name');
      }
    });

    it.each([
      ['spaces', '   '],
      ['zero-width characters', '\u200B\u200C\u200D\u2060\uFEFF'],
      ['no-break and em spaces', '\u00A0\u2003\u3000'],
      ['a line break', 'Acme\nFinancial'],
      ['a tab', 'Acme\tFinancial'],
      ['combining marks only', '\u0301\u0301'],
      ['a combining mark after spaces', '  \u0308 '],
      ['Hangul fillers', '\u3164\u115F'],
      ['variation selectors', '\uFE0F\u{E0100}'],
      ['the blank braille pattern', '\u2800\u2800'],
    ])('a company_name of %s is 400', async (_label, name) => {
      const customer = await createCustomer(t);
      expectProblem(await put(customer.customer_id, { company_name: name }), 400, 'company_name');
    });

    it('metadata strings and keys count code points too', async () => {
      const customer = await createCustomer(t);
      await put(customer.customer_id, { metadata: { note: '\u{1D49C}'.repeat(500) } }).expect(200);
      expectProblem(await put(customer.customer_id, { metadata: { note: '\u{1D49C}'.repeat(501) } }), 400, 'metadata');
      await put(customer.customer_id, { metadata: { ['\u{1D49C}'.repeat(40)]: 1 } }).expect(200);
      expectProblem(await put(customer.customer_id, { metadata: { ['\u{1D49C}'.repeat(41)]: 1 } }), 400, 'metadata');
    });
  });

  describe('bodies: encodings, media types, bytes', () => {
    const json = (body: object) => Buffer.from(JSON.stringify(body));
    const send = (id: string, payload: Buffer, headers: Record<string, string>) => {
      const request = t.http().put(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY);
      for (const [name, value] of Object.entries(headers)) request.set(name, value);
      // Sent as the bytes given: superagent would otherwise serialise a Buffer as JSON.
      return request.serialize((body: unknown) => body as string).send(payload);
    };

    it.each([
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['br', brotliCompressSync],
    ])('%s: a well-formed body is applied, a corrupt one is 400 and changes nothing', async (encoding, compress) => {
      const customer = await createCustomer(t, { tier: 'growth' });
      await send(customer.customer_id, compress(json({ tier: 'scale' })), { 'Content-Type': 'application/json', 'Content-Encoding': encoding }).expect(200);
      const corrupt = Buffer.concat([compress(json({ tier: 'starter' })).subarray(0, 6), Buffer.from('not compressed at all')]);
      expectProblem(await send(customer.customer_id, corrupt, { 'Content-Type': 'application/json', 'Content-Encoding': encoding }), 400, 'body');
      expect((await customerRow(t.dataSource, customer.customer_id)).tier).toBe('scale');
    });

    it('an unknown Content-Encoding is 415; a compressed bomb is 413', async () => {
      const customer = await createCustomer(t);
      expectProblem(await send(customer.customer_id, json({ tier: 'scale' }), { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' }), 415);
      const bomb = gzipSync(Buffer.from(`{"metadata":{"a":"${'x'.repeat(200_000)}"}}`));
      expectProblem(await send(customer.customer_id, bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }), 413);
    });

    it('PUT accepts application/merge-patch+json (RFC 7396: null removes) and applies it', async () => {
      const customer = await createCustomer(t, { tier: 'growth', metadata: { region: 'eu', seats: 5 } });
      const response = await send(customer.customer_id, json({ tier: 'scale', metadata: { seats: null } }), {
        'Content-Type': 'application/merge-patch+json',
      }).expect(200);
      expect(response.body).toMatchObject({ tier: 'scale', metadata: { region: 'eu' } });
      expect((await customerRow(t.dataSource, customer.customer_id)).metadata).toEqual({ region: 'eu' });
    });

    it.each(['application/json-patch+json', 'application/problem+json', 'text/plain', 'application/x-www-form-urlencoded'])(
      'PUT with %s is 415 naming the accepted types, and changes nothing',
      async (type) => {
        const customer = await createCustomer(t, { tier: 'growth' });
        const response = await send(customer.customer_id, json({ tier: 'scale' }), { 'Content-Type': type });
        expectProblem(response, 415);
        expect(response.body.detail).toContain('application/json or application/merge-patch+json');
        expect((await customerRow(t.dataSource, customer.customer_id)).tier).toBe('growth');
      },
    );

    it('POST accepts only application/json', async () => {
      const response = await t
        .http()
        .post('/admin/customers')
        .set('x-api-key', WRITE_KEY)
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ company_name: 'Patchy', contact_email: `patchy-${randomUUID()}@example.com` }));
      expectProblem(response, 415);
      expect(response.body.detail).toContain('application/json');
    });

    it('a body that is not valid UTF-8 is 400, not stored as U+FFFD', async () => {
      const customer = await createCustomer(t);
      const invalid = Buffer.concat([Buffer.from('{"company_name":"Acme '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      expectProblem(await send(customer.customer_id, invalid, { 'Content-Type': 'application/json' }), 400, 'body');
      expect((await customerRow(t.dataSource, customer.customer_id)).company_name).toBe(customer.company_name);
    });
  });

  describe('authentication comes before the body', () => {
    it.each([
      ['malformed JSON', 'application/json', '{"tier":'],
      ['a 70 KB body', 'application/json', JSON.stringify({ metadata: { a: 'x'.repeat(70_000) } })],
      ['a wrong content type', 'text/plain', 'tier=scale'],
    ])('without a key, %s is 401', async (_label, type, body) => {
      const response = await t.http().put(`/admin/customers/${randomUUID()}`).set('Content-Type', type).send(body);
      expectProblem(response, 401, 'x-api-key');
    });

    it('a read key with a bad body on a write is 403', async () => {
      const response = await t
        .http()
        .put(`/admin/customers/${randomUUID()}`)
        .set('x-api-key', READ_KEY)
        .set('Content-Type', 'application/json')
        .send('{"tier":');
      expectProblem(response, 403);
    });
  });

  describe('smaller things', () => {
    it('a reserved query parameter is blamed on itself', async () => {
      const response = await t.http().get('/admin/customers?__proto__=1').set('x-api-key', READ_KEY);
      expectProblem(response, 400, '__proto__');
    });

    it('a rate_limit that is not an object is one error on rate_limit', async () => {
      const customer = await createCustomer(t, {
        tier: 'custom',
        annual_commitment: 1,
        annual_validation_limit: 1,
        rate_limit: { requests_per_second: 1, burst: 1 },
      });
      const response = await put(customer.customer_id, { rate_limit: [1, 2] });
      expectProblem(response, 400, 'rate_limit');
      expect(response.body.errors).toEqual([{ field: 'rate_limit', message: expect.stringContaining('must be an object') }]);
    });

    it('each rule failure is said once', async () => {
      const response = await t.http().get('/admin/customers?limit=abc').set('x-api-key', READ_KEY);
      expectProblem(response, 400, 'limit');
      const [limit] = response.body.errors;
      expect(limit.message.split('limit must be').length - 1).toBe(1);
    });

    it('a flood of unknown fields gets a short answer: the first 20 and a count', async () => {
      const customer = await createCustomer(t);
      const flood = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`unknown_field_${i}`, i]));
      const response = await put(customer.customer_id, flood);
      expectProblem(response, 400);
      expect(response.body.errors).toHaveLength(21);
      expect(response.body.errors[20].message).toMatch(/1980 more/);
      expect(JSON.stringify(response.body).length).toBeLessThan(10_000);
    });

    it('an idempotent replay returns the fields in the order of the first response', async () => {
      const key = randomUUID();
      const body = { company_name: 'Replay Co', contact_email: `replay-${key}@example.com`, metadata: { zeta: 1, alpha: 2 } };
      const first = await t.http().post('/admin/customers').set('x-api-key', WRITE_KEY).set('Idempotency-Key', key).send(body).expect(201);
      const replay = await t.http().post('/admin/customers').set('x-api-key', WRITE_KEY).set('Idempotency-Key', key).send(body).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.text).toBe(first.text);
    });
  });

  describe("Node's HTTP layer answers problem details too", () => {
    let port: number;
    beforeAll(async () => {
      await t.app.listen(0, '127.0.0.1');
      port = (t.app.getHttpServer().address() as { port: number }).port;
    });
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });

    it.each([
      ['headers over 16 KB', `GET /admin/customers HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
      [
        'Content-Length with Transfer-Encoding',
        'PUT /admin/customers/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
        400,
      ],
      ['a malformed request line', 'HELLO THERE\r\n\r\n', 400],
    ])('%s', async (_label, request, status) => {
      const answer = await raw(request);
      expect(answer.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`);
      expect(answer).toMatch(/Content-Type: application\/problem\+json/);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    });
  });
});

describe('Failed authentication is throttled per address (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ AUTH_FAILURE_LIMIT: '5', AUTH_FAILURE_WINDOW_SECONDS: '60' })));
  afterAll(async () => t.close());

  it('past the limit, missing and wrong keys from that address get 429 with Retry-After; valid keys are still served', async () => {
    for (let attempt = 0; attempt < 25; attempt++) await t.http().get('/admin/tiers').set('x-api-key', `guess-${attempt}`);
    const blocked = await t.http().get('/admin/tiers').set('x-api-key', 'guess-26');
    expectProblem(blocked, 429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.headers['ratelimit-remaining']).toBe('0');
    expectProblem(await t.http().get('/admin/tiers'), 429);
    await t.http().get('/admin/tiers').set('x-api-key', READ_KEY).expect(200);
    const customer = await createCustomer(t);
    await t.http().get(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).expect(200);
    await t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).send({ tier: 'scale' }).expect(200);
  });

  it('a key made with npm run keys is served from a blocked address too', async () => {
    for (let attempt = 0; attempt < 6; attempt++) await t.http().get('/admin/tiers').set('x-api-key', `guess-${attempt}`);
    const secret = `cak_stored_${Date.now()}_0123456789abcdef`;
    await t.dataSource.query(`INSERT INTO admin_api_keys (name, scope, secret_hash) VALUES ($1, 'read', encode(sha256($2::bytea), 'hex'))`, [
      `stored-${Date.now()}`,
      secret,
    ]);
    await sleep(5_100); // the blocked path reads stored keys' hashes at most every 5 s
    await t.http().get('/admin/tiers').set('x-api-key', secret).expect(200);
    expectProblem(await t.http().get('/admin/tiers').set('x-api-key', 'still-wrong'), 429);
  });
});

describe('TRUST_PROXY: the client address behind a trusted proxy (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ TRUST_PROXY: 'loopback', AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_SECONDS: '60' })));
  afterAll(async () => t.close());
  const from = (client: string, key?: string) => {
    const call = t.http().get('/admin/tiers').set('x-forwarded-for', client);
    return key === undefined ? call : call.set('x-api-key', key);
  };

  it('wrong keys from one forwarded client do not affect another client behind the same proxy', async () => {
    for (let attempt = 0; attempt < 4; attempt++) await from('203.0.113.10', `guess-${attempt}`);
    expectProblem(await from('203.0.113.10', 'guess-again'), 429);
    expectProblem(await from('203.0.113.11', 'one-wrong-key'), 401);
    expectProblem(await from('203.0.113.11'), 401);
    await from('203.0.113.10', READ_KEY).expect(200);
  });

  it('IPv6 clients are counted per /64', async () => {
    for (let attempt = 0; attempt < 4; attempt++) await from(`2001:db8:aa:1::${attempt + 1}`, 'wrong');
    expectProblem(await from('2001:db8:aa:1:ffff::1', 'wrong'), 429);
    expectProblem(await from('2001:db8:aa:2::1', 'wrong'), 401);
  });
});

describe('TRUST_PROXY unset: X-Forwarded-For is not believed (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_SECONDS: '60' })));
  afterAll(async () => t.close());

  it('a client cannot dodge the limit by claiming other addresses', async () => {
    for (let attempt = 0; attempt < 4; attempt++) await t.http().get('/admin/tiers').set('x-forwarded-for', `203.0.113.${attempt}`).set('x-api-key', 'wrong');
    expectProblem(await t.http().get('/admin/tiers').set('x-forwarded-for', '203.0.113.99').set('x-api-key', 'wrong'), 429);
  });
});

describe('A hot customer does not starve the others (e2e)', () => {
  let t: TestApp;
  const LOCK_TIMEOUT_MS = 1500;
  beforeAll(async () => (t = await createTestApp({ DB_POOL_SIZE: '4', CUSTOMER_WRITE_QUEUE_LIMIT: '8', DB_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS) })));
  afterAll(async () => t.close());
  const put = (id: string, body: object) => t.http().put(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY).send(body);

  async function holdRowLock(customerId: string, ms: number): Promise<void> {
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM customers WHERE customer_id = $1 FOR UPDATE', [customerId]);
    setTimeout(() => void holder.query('COMMIT').finally(() => holder.end()), ms);
  }

  it('while 25 writers wait on a locked row: 8 queue, the rest get 429 at once, other customers and readiness stay fast', async () => {
    const [hot, other] = [await createCustomer(t), await createCustomer(t)];
    await holdRowLock(hot.customer_id, 1000);
    const writers = Array.from({ length: 25 }, (_, i) => put(hot.customer_id, { metadata: { [`writer_${i}`]: i } }).then((response) => response));
    await sleep(100);
    const timings: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      await t.http().get(`/admin/customers/${other.customer_id}`).set('x-api-key', READ_KEY).expect(200);
      await put(other.customer_id, { metadata: { step: i } }).expect(200);
      timings.push(Date.now() - started);
    }
    await t.http().get('/health/ready').expect(200);
    // Each round trip for another customer took a fraction of the time the hot row stayed locked.
    console.log(`other customer's GET + PUT while the hot row is locked: ${[...timings].sort((a, b) => a - b).join(', ')} ms`);
    expect(Math.max(...timings)).toBeLessThan(800);

    const responses = await Promise.all(writers);
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(9);
    expect(statuses.filter((status) => status === 429)).toHaveLength(16);
    for (const busy of responses.filter((response) => response.status === 429)) {
      expectProblem(busy, 429, 'customer_id');
      expect(busy.headers['retry-after']).toBe('1');
      expect(busy.body.detail).toMatch(/is busy/);
    }
    const row = await customerRow(t.dataSource, hot.customer_id);
    expect(row.version).toBe(1 + 9);
    expect(Object.keys(row.metadata)).toHaveLength(9);
  });

  it('a row held past the lock timeout answers its writers 429, writes nothing, and the customer recovers', async () => {
    const hot = await createCustomer(t);
    await holdRowLock(hot.customer_id, LOCK_TIMEOUT_MS + 1000);
    const responses = await Promise.all(Array.from({ length: 4 }, (_, i) => put(hot.customer_id, { metadata: { late: i } })));
    for (const response of responses) {
      expectProblem(response, 429, 'customer_id');
      expect(response.headers['retry-after']).toBe('1');
    }
    expect((await customerRow(t.dataSource, hot.customer_id)).version).toBe(1);
    await sleep(1200);
    await put(hot.customer_id, { metadata: { late: 'ok' } }).expect(200);
  });

  it('with the pool full of slow work, readiness still says 200 and requests get 503 "busy", not "database unavailable"', async () => {
    const slow = Array.from({ length: 4 }, () => t.dataSource.query('SELECT pg_sleep(3)'));
    await sleep(200);
    const customer = await t.http().get(`/admin/customers/${randomUUID()}`).set('x-api-key', READ_KEY);
    expectProblem(customer, 503);
    expect(customer.body.detail).toMatch(/connection/);
    expect(customer.body.detail).not.toMatch(/unavailable/);
    expect(Number(customer.headers['retry-after'])).toBeGreaterThan(0);
    await t.http().get('/health/ready').expect(200);
    await Promise.all(slow);
  });
});

describe('Connections killed under load (e2e)', () => {
  let databaseUrl: string;
  let database: { url: string; drop: () => Promise<void> };
  let t: TestApp;
  beforeAll(async () => {
    database = await createIsolatedDatabase('killed');
    databaseUrl = database.url;
    t = await createTestApp({ DB_POOL_SIZE: '6' }, databaseUrl);
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  it('a pooled connection that dies while checked out and idle does not crash the process', async () => {
    // The hot reads check clients out of TypeORM's pg pool directly; pg-pool removes its error listener
    // while a client is out, and pg emits 'error' when the socket closes: unheard, an uncaught exception.
    const pool = (
      t.dataSource.driver as unknown as {
        master: {
          connect(): Promise<{
            query(sql: string): Promise<{ rows: { pid: number }[] }>;
            release(error?: unknown): void;
            listenerCount(event: string): number;
          }>;
        };
      }
    ).master;
    const client = await pool.connect();
    expect(client.listenerCount('error')).toBeGreaterThan(0);
    const {
      rows: [{ pid }],
    } = await client.query('SELECT pg_backend_pid() AS pid');
    const killer = new Client({ connectionString: databaseUrl });
    await killer.connect();
    await killer.query('SELECT pg_terminate_backend($1)', [pid]);
    await killer.end();
    await sleep(300);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release(new Error('terminated'));
    await t.http().get(`/admin/customers/${randomUUID()}`).set('x-api-key', READ_KEY).expect(404);
  });

  it('requests that meet a dead connection get 503 with Retry-After or succeed, never 500; the pool heals', async () => {
    const customers = await Promise.all(Array.from({ length: 4 }, () => createCustomer(t)));
    const killer = new Client({ connectionString: databaseUrl });
    await killer.connect();
    const database = new URL(databaseUrl).pathname.slice(1);
    const statuses: number[] = [];
    const bad: string[] = [];
    let stop = false;
    const worker = async (index: number) => {
      for (let i = 0; !stop && i < 200; i++) {
        const id = customers[(index + i) % customers.length].customer_id;
        const response =
          i % 2 === 0
            ? await t.http().get(`/admin/customers/${id}`).set('x-api-key', READ_KEY)
            : await t
                .http()
                .put(`/admin/customers/${id}`)
                .set('x-api-key', WRITE_KEY)
                .send({ metadata: { [`w${index}`]: i } });
        statuses.push(response.status);
        if (response.status >= 500 && (response.status !== 503 || !response.headers['retry-after']))
          bad.push(`${response.status} ${JSON.stringify(response.body)}`);
      }
    };
    const workers = Array.from({ length: 6 }, (_, index) => worker(index));
    for (let round = 0; round < 3; round++) {
      await sleep(150);
      await killer.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
        [database],
      );
    }
    await sleep(150);
    stop = true;
    await Promise.all(workers);
    await killer.end();
    expect(bad).toEqual([]);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(statuses.length / 2);
    await t.http().get(`/admin/customers/${customers[0].customer_id}`).set('x-api-key', READ_KEY).expect(200);
  });
});
