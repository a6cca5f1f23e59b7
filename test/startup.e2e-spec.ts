import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { AppProcess, makeDataParent, startAppProcess, stopAppProcess, waitForReady } from './support/app-process';

const REFERENCE_URL = '/admin/customers/550e8400-e29b-41d4-a716-446655440000';

/** The service as a user runs it: `node dist/main.js` (what `npm start` runs), on the embedded default. */
describe('Start-up as a process (npm start)', () => {
  const parents: string[] = [];
  let running: AppProcess | undefined;

  afterEach(async () => {
    if (running) await stopAppProcess(running);
    running = undefined;
  });
  afterAll(() => parents.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  function dataDir(): string {
    const parent = makeDataParent();
    parents.push(parent);
    return join(parent, 'postgres');
  }

  it('starts an embedded PostgreSQL, seeds the reference customer, and answers the reference curl examples', async () => {
    const dir = dataDir();
    // As a developer runs it: no NODE_ENV, no LOG_FORMAT, so short human-readable lines.
    running = startAppProcess({ EMBEDDED_DB_DIR: dir, LOG_FORMAT: '', WEBHOOK_SECRETS_ENCRYPTION_KEYS: '' });
    const baseUrl = await waitForReady(running);
    const key = /admin key is (\S+)/.exec(running.output())![1];
    const startUpLines = running.output().trim().split('\n');
    expect(startUpLines.length).toBeLessThanOrEqual(10);
    expect(startUpLines.filter((line) => line.startsWith('{'))).toEqual([]);
    expect(running.output()).toMatch(/Database: embedded PostgreSQL at postgres:\/\/postgres:\*\*\*\*@127\.0\.0\.1:\d+\/postgres/);

    const put = (body: object) =>
      fetch(`${baseUrl}${REFERENCE_URL}`, { method: 'PUT', headers: { 'x-api-key': key, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const upgraded = await put({ tier: 'scale' });
    expect(upgraded.status).toBe(200);
    expect(await upgraded.json()).toMatchObject({
      customer_id: '550e8400-e29b-41d4-a716-446655440000',
      company_name: 'Acme Financial',
      contact_email: 'compliance@acmefinancial.com',
      tier: 'scale',
      status: 'active',
      annual_commitment: 500000,
      annual_validation_limit: 30000000,
      updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    });
    expect(await (await put({ status: 'suspended' })).json()).toMatchObject({ status: 'suspended' });
    expect(await (await put({ status: 'active' })).json()).toMatchObject({ status: 'active' });
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
    expect(running.output()).not.toMatch(/ERROR/);

    // SIGTERM: clean exit 0, and the data survives a restart without being seeded again.
    expect(await stopAppProcess(running)).toBe(0);
    const secretsKeyFile = join(dir, 'customer-admin.webhook-secrets-key');
    const secretsKey = readFileSync(secretsKeyFile, 'utf8');
    expect(running.output()).toContain(`generated a development key for webhook secrets in ${secretsKeyFile}`);
    running = startAppProcess({ EMBEDDED_DB_DIR: dir, WEBHOOK_SECRETS_ENCRYPTION_KEYS: '' });
    await waitForReady(running);
    // Both development keys are kept with the data: a restart reuses them.
    expect(readFileSync(secretsKeyFile, 'utf8')).toBe(secretsKey);
    expect((statSync(secretsKeyFile).mode & 0o777).toString(8)).toBe('600');
    expect(running.output()).not.toContain('generated a development key for webhook secrets');
    // The development key is kept with the data: a restart reuses it (Swagger UI's remembered key keeps working).
    expect(running.output()).toContain(`using the development admin key ${key.slice(0, 8)}`);
    expect(running.output()).not.toContain(key);
    expect((await fetch(`${running.baseUrl}${REFERENCE_URL}`, { headers: { 'x-api-key': key } })).status).toBe(200);
    expect((statSync(join(dir, 'customer-admin.dev-key')).mode & 0o777).toString(8)).toBe('600');
    expect(await stopAppProcess(running)).toBe(0);
    running = startAppProcess({ EMBEDDED_DB_DIR: dir, ADMIN_API_KEYS: 'second-run-key' });
    const secondUrl = await waitForReady(running);
    expect(running.output()).not.toMatch(/inserted the reference customer/);
    const after = await fetch(`${secondUrl}${REFERENCE_URL}`, { headers: { 'x-api-key': 'second-run-key' } });
    expect(await after.json()).toMatchObject({ tier: 'scale', status: 'active' });
    expect(await stopAppProcess(running)).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT="abc": must be an integer port number/],
    [{ DATABASE_URL: 'mysql://nope' }, /DATABASE_URL: must be a postgres:\/\/ connection URL/],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:1/x' }, /ADMIN_API_KEYS is required when NODE_ENV=production/],
    [
      { NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:1/x', ADMIN_API_KEYS: 'k'.repeat(40), WEBHOOK_SECRETS_ENCRYPTION_KEYS: '' },
      /WEBHOOK_SECRETS_ENCRYPTION_KEYS is required when NODE_ENV=production/,
    ],
    [{ WEBHOOK_SECRETS_ENCRYPTION_KEYS: 'c2hvcnQ=' }, /WEBHOOK_SECRETS_ENCRYPTION_KEYS: must be comma-separated base64 32-byte keys.*key 1 is not 32 bytes/],
  ])('refuses to start on a bad environment %j, naming the variable', async (env, message) => {
    running = startAppProcess(env);
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(message);
  });

  it('a SIGTERM at any moment of start-up exits cleanly and leaves no PostgreSQL running on the data directory', async () => {
    const dir = dataDir();
    const postmasterPid = join(dir, 'postmaster.pid');
    // From while Node loads the modules (nothing started yet: killed, exit code null) through the
    // data directory's initialisation and the server's start to the app's own start.
    for (const delayMs of [50, 500, 800, 1100, 1400]) {
      running = startAppProcess({ EMBEDDED_DB_DIR: dir });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      expect([0, null]).toContain(await stopAppProcess(running));
      expect(existsSync(postmasterPid)).toBe(false);
    }
    running = startAppProcess({ EMBEDDED_DB_DIR: dir });
    await waitForReady(running);
    expect(await stopAppProcess(running)).toBe(0);
    expect(existsSync(postmasterPid)).toBe(false);
  });

  it('explains a PORT that is already taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      running = startAppProcess({ DATABASE_URL: process.env.DATABASE_URL!, ADMIN_API_KEYS: 'k', PORT: String(port) });
      expect(await running.exited).toBe(1);
      expect(running.output()).toContain(`Start-up failed: PORT ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('explains a HOST that is not an address of this machine (not as a database problem)', async () => {
    // A documentation address (TEST-NET-1), literal: binding to it fails here, with no lookup and no traffic.
    running = startAppProcess({ DATABASE_URL: process.env.DATABASE_URL!, ADMIN_API_KEYS: 'k', HOST: '192.0.2.1', PORT: '0' });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/Start-up failed: cannot listen on 192\.0\.2\.1 port 0 \(.*EADDRNOTAVAIL.*\): HOST must be an address of this machine/);
    expect(running.output().match(/Start-up failed: .*/)?.[0]).not.toMatch(/database/i);
  });

  it('exits non-zero when the embedded data directory is in use by another instance', async () => {
    const dir = dataDir();
    const first = startAppProcess({ EMBEDDED_DB_DIR: dir });
    try {
      await waitForReady(first);
      running = startAppProcess({ EMBEDDED_DB_DIR: dir });
      expect(await running.exited).toBe(1);
      expect(running.output()).toMatch(/Start-up failed: .*Another PostgreSQL server is already using this data directory/);
      expect((await fetch(`${first.baseUrl}/health/live`)).status).toBe(200);
    } finally {
      expect(await stopAppProcess(first)).toBe(0);
    }
  }, 60_000);

  it('reads .env from the working directory, the environment winning over it', async () => {
    const dir = makeDataParent();
    parents.push(dir);
    writeFileSync(join(dir, '.env'), `DATABASE_URL=${process.env.DATABASE_URL}\nADMIN_API_KEYS=envfile:write:dot-env-secret-0123456789\nLOG_LEVEL=debug\n`);
    running = startAppProcess({ ENV_FILE: '.env', LOG_LEVEL: 'info' }, dir);
    const baseUrl = await waitForReady(running);
    expect((await fetch(`${baseUrl}/admin/tiers`, { headers: { 'x-api-key': 'dot-env-secret-0123456789' } })).status).toBe(200);
    // LOG_LEVEL=info from the environment won over the file's debug: no debug lines.
    expect(running.output()).not.toMatch(/"level":20/);
    expect(await stopAppProcess(running)).toBe(0);
  }, 60_000);

  it('listens on 127.0.0.1 only by default outside production, and where HOST says', async () => {
    const reachable = (host: string, port: number) =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host, port }, () => {
          socket.destroy();
          resolve(true);
        }).on('error', () => resolve(false));
      });
    for (const [host, expected] of [
      [undefined, { '127.0.0.1': true, '::1': false }],
      ['::', { '127.0.0.1': true, '::1': true }],
    ] as const) {
      running = startAppProcess({ DATABASE_URL: process.env.DATABASE_URL!, ADMIN_API_KEYS: 'k', ...(host ? { HOST: host } : {}) });
      const port = Number(new URL(await waitForReady(running)).port);
      expect({ host, '127.0.0.1': await reachable('127.0.0.1', port), '::1': await reachable('::1', port) }).toEqual({ host, ...expected });
      expect(await stopAppProcess(running)).toBe(0);
    }
  }, 60_000);

  it('exits non-zero when the database cannot be reached', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    const { port } = blocker.address() as { port: number };
    blocker.close();
    running = startAppProcess({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere`, ADMIN_API_KEYS: 'k' });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/Start-up failed: .*ECONNREFUSED/);
  }, 30_000);

  (userInfo().uid === 0 ? it : it.skip)('as root, explains an EMBEDDED_DB_DIR the postgres user cannot reach', async () => {
    const parent = makeDataParent();
    parents.push(parent);
    const locked = join(parent, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o700);
    running = startAppProcess({ EMBEDDED_DB_DIR: join(locked, 'postgres') });
    expect(await running.exited).toBe(1);
    expect(running.output()).toMatch(/runs as user "postgres", which cannot enter .*locked \(mode 0700\)/);
  });
});
