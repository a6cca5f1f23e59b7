import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { encodeCursor } from '../src/http/cursor';

/**
 * npm run bench [-- --count 1000000 --duration 5 --warmup 1 --connections 1,8,32]
 * Seeds a benchmark database, starts the built app and a minimal node:http + pg reference as separate
 * processes, drives both with autocannon on 127.0.0.1 (bounded in time), and writes BENCHMARKS.md.
 */
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '5' },
    /** Seconds of the same load before each measured run, not counted: every server is measured warm (JIT-compiled, pools full). */
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '1,8,32' },
    /** The report; never BENCHMARKS.md, the hand-written analysis, which changes only when someone edits it. */
    output: { type: 'string', default: 'bench/results/latest.md' },
    /** Comma-separated words; only scenarios whose name contains one run (e.g. `--scenarios PUT`). */
    scenarios: { type: 'string', default: '' },
    /** Another build's dist/ (e.g. a worktree of the previous commit), measured beside this one as server `before`. */
    'compare-dist': { type: 'string', default: '' },
    /**
     * Traces the app under test (OpenTelemetry on), exporting to an OTLP sink in this process that
     * counts and drops the spans; with --compare-dist of the same build, the cost of tracing.
     */
    'trace-app': { type: 'boolean', default: false },
    /** Tier changes timed from the PUT's response to a local webhook receiver, idle and under write load. */
    'webhook-samples': { type: 'string', default: '300' },
  },
});
const COUNT = Number(values.count);
if (resolve(__dirname, '..', values.output) === resolve(__dirname, '..', 'BENCHMARKS.md')) {
  console.error('--output BENCHMARKS.md would overwrite the hand-written analysis: write the report elsewhere (default bench/results/latest.md)');
  process.exit(2);
}
const DURATION = Number(values.duration);
const WARMUP = Number(values.warmup);
const CONNECTIONS = values.connections.split(',').map(Number);
const KEY = 'bench-secret-key-0123456789abcdefghij';
const BENCH_DATABASE = 'customer_admin_bench';
const ROOT = join(__dirname, '..');
const TIERS = ['starter', 'growth', 'scale', 'enterprise'];
/** The Node.js flags of `npm start` (the heap cap), so the app is measured as it is run. */
const START_FLAGS: string[] = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start.match(/--[a-z-]+=\S+/g) ?? [];

interface Row {
  scenario: string;
  server: 'app' | 'before' | 'reference';
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  rssMb: number;
  /** The server's CPU time per request served, µs. */
  cpuPerRequest: number;
  errors: number;
}

/** Every server the bench started: stopped when it exits, even on an error (a leftover app would relay and deliver for the next run's database). */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

/** An OTLP/HTTP receiver that only counts the export requests it gets (for --trace-app). */
async function startOtlpSink(): Promise<{ url: string; exports: () => number }> {
  let exports = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      exports++;
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  server.unref();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports: () => exports };
}

function startProcess(command: string[], env: Record<string, string>, readyPattern: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, command, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      const match = readyPattern.exec(output);
      if (match) {
        // From here on the output is only drained (as a log collector would), not scanned.
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve({ child, match });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command.join(' ')} exited ${code}: ${output.slice(-2000)}`)));
  });
}

/** Runs `work` on a connection of its own to `url`. */
async function onDatabase<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The process's user + system CPU time so far, in microseconds (clock ticks of 10 ms). */
function cpuMicros(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

function rssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    return kb / 1024;
  } catch {
    return 0;
  }
}

async function load(url: string, connections: number, requestFor: () => { method: 'GET' | 'PUT'; path: string; body?: string }, pid: number) {
  const run = (duration: number) =>
    autocannon({
      url,
      connections,
      duration,
      headers: { 'x-api-key': KEY, 'content-type': 'application/json' },
      requests: [{ setupRequest: (request) => ({ ...request, ...requestFor() }) }],
    });
  if (WARMUP > 0) await run(WARMUP);
  let peakRss = rssMb(pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 250);
  const cpuBefore = cpuMicros(pid);
  const result = await run(DURATION);
  clearInterval(sampler);
  const cpuPerRequest = (cpuMicros(pid) - cpuBefore) / Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rssMb: peakRss,
    cpuPerRequest,
    errors: result.errors + result.non2xx,
  };
}

async function main(): Promise<void> {
  execFileSync('npx', ['nest', 'build'], { cwd: ROOT, stdio: 'inherit' });
  let embedded: EmbeddedPostgres | undefined;
  if (!process.env.DATABASE_URL) {
    mkdirSync(join(ROOT, '.data'), { recursive: true });
    embedded = new EmbeddedPostgres({ dataDir: join(ROOT, '.data', 'bench-postgres') });
  }
  const serverUrl = process.env.DATABASE_URL ?? (await embedded!.start());
  const postgresVersion: string = await onDatabase(serverUrl, async (client) => (await client.query('SHOW server_version')).rows[0].server_version);
  /** A new, empty (or `template`'s copy) database on the server; its URL. */
  const recreateDatabase = (name: string, template?: string) =>
    onDatabase(serverUrl, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    });
  const databaseUrl = await recreateDatabase(BENCH_DATABASE);

  console.log(`Seeding ${COUNT} customers…`);
  const seedStarted = Date.now();
  execFileSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'seed.js'), '--count', String(COUNT)], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: 'inherit',
  });
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const ids: string[] = (await db.query('SELECT customer_id FROM customers ORDER BY random() LIMIT 10000')).rows.map((row) => row.customer_id);
  const deepOffset = Math.min(COUNT - 1, 1000 * 20 - 1);
  const deepCursor = encodeCursor(
    (await db.query('SELECT customer_id FROM customers ORDER BY created_at DESC, customer_id DESC OFFSET $1 LIMIT 1', [deepOffset])).rows[0].customer_id,
  );
  const explains: Record<string, string> = {};
  const explain = async (label: string, sql: string, parameters: unknown[] = []) => {
    const rows = (await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, parameters)).rows;
    explains[label] = rows.map((row) => row['QUERY PLAN']).join('\n');
  };
  const order = 'ORDER BY created_at DESC, customer_id DESC LIMIT 21';
  const cursorCondition = '(created_at, customer_id) < (SELECT created_at, customer_id FROM customers WHERE customer_id = $1)';
  await explain('first page', `SELECT * FROM customers ${order}`);
  await explain('filtered: tier=scale&status=active', `SELECT * FROM customers WHERE tier = 'scale' AND status = 'active' ${order}`);
  await explain('filtered: status=suspended', `SELECT * FROM customers WHERE status = 'suspended' ${order}`);
  await explain('email', `SELECT * FROM customers WHERE contact_email = $1 ${order}`, [
    (await db.query('SELECT contact_email FROM customers LIMIT 1')).rows[0].contact_email,
  ]);
  await explain('q=acme (name prefix)', `SELECT * FROM customers WHERE lower(company_name) LIKE 'acme%' ${order}`);
  const byMetadata = (filters: number) =>
    `SELECT customers.* FROM customers ${Array.from({ length: filters }, (_, n) => `JOIN customer_metadata_values m${n} USING (created_at, customer_id)`).join(' ')}
     WHERE ${Array.from({ length: filters }, (_, n) => `m${n}.key = $${2 * n + 1} AND m${n}.value = $${2 * n + 2}`).join(' AND ')} AND (archived_at IS NOT NULL) = false`;
  await explain('metadata[crm_owner]=owner-123 (customer_metadata_values, in order)', `${byMetadata(1)} ${order}`, ['crm_owner', 'owner-123']);
  await explain('metadata[region]=eu-west&metadata[seats]=7 (no customer has both)', `${byMetadata(2)} ${order}`, ['region', 'eu-west', 'seats', '7']);
  await explain('metadata[region]=eu-west&metadata[seats]=8 (2,000 have both)', `${byMetadata(2)} ${order}`, ['region', 'eu-west', 'seats', '8']);
  await explain('created_gte (last 30 days)', `SELECT * FROM customers WHERE created_at >= now() - interval '30 days' ${order}`);
  await explain('1,000 pages deep (cursor)', `SELECT * FROM customers WHERE ${cursorCondition} ${order}`, [
    Buffer.from(deepCursor, 'base64url').toString().slice(3),
  ]);
  await db.end();

  // Each server on its own copy of the seeded database: one server's writes (and the event relay
  // publishing them, in whichever app process holds the relay lock) never land on another's run.
  const compareDist = values['compare-dist'];
  const copies: string[] = [];
  // One after the other: a template cannot be copied twice at once.
  const copyOfBenchDatabase = (server: string) => {
    copies.push(`${BENCH_DATABASE}_${server}`);
    return recreateDatabase(copies.at(-1)!, BENCH_DATABASE);
  };
  const beforeDatabaseUrl = compareDist ? await copyOfBenchDatabase('before') : undefined;
  const referenceDatabaseUrl = await copyOfBenchDatabase('reference');
  // Copying a database writes every page of the copy through shared buffers: without a checkpoint the
  // first scenarios' reads each evicted (wrote out) a dirty page of a copy, which no settled server does.
  const checkpoint = () =>
    // Needs superuser or pg_checkpoint (the embedded server's user has it); without, the run goes on unsettled.
    onDatabase(databaseUrl, (client) => client.query('CHECKPOINT')).catch((error: Error) => console.warn(`CHECKPOINT refused: ${error.message}`));
  await checkpoint();
  const vacuumAll = async () => {
    for (const target of [databaseUrl, beforeDatabaseUrl, referenceDatabaseUrl]) {
      if (target) await onDatabase(target, (client) => client.query('VACUUM (ANALYZE) customers, customer_events, customer_metadata_values'));
    }
    await checkpoint();
  };

  const appEnv = {
    DATABASE_URL: databaseUrl,
    ADMIN_API_KEYS: `bench:write:${KEY}`,
    THROTTLE_LIMIT: '1000000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    PORT: '0',
    NODE_ENV: 'production',
    WEBHOOK_SECRETS_ENCRYPTION_KEYS: randomBytes(32).toString('base64'),
    // The webhook receiver is on 127.0.0.1, over http.
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  };
  const otlpSink = values['trace-app'] ? await startOtlpSink() : undefined;
  const app = await startProcess(
    [...START_FLAGS, join(ROOT, 'dist', 'main.js')],
    otlpSink ? { ...appEnv, OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink.url } : appEnv,
    /ready in \d+ ms on (http:\/\/\S+?)[ "]/,
  );
  const appUrl = app.match[1].replace('localhost', '127.0.0.1');
  const before = compareDist
    ? await startProcess(
        [...START_FLAGS, join(resolve(compareDist), 'main.js')],
        { ...appEnv, DATABASE_URL: beforeDatabaseUrl! },
        /ready in \d+ ms on (http:\/\/\S+?)[ "]/,
      )
    : undefined;
  const beforeUrl = before?.match[1].replace('localhost', '127.0.0.1');
  const reference = await startProcess(
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'reference-server.ts')],
    { DATABASE_URL: referenceDatabaseUrl, REFERENCE_API_KEY: KEY, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    /REFERENCE_PORT (\d+)/,
  );
  const referenceUrl = `http://127.0.0.1:${reference.match[1]}`;

  const randomId = () => ids[Math.floor(Math.random() * ids.length)];
  const putRequest = () => ({
    method: 'PUT' as const,
    path: `/admin/customers/${randomId()}`,
    body: JSON.stringify({ tier: TIERS[Math.floor(Math.random() * TIERS.length)], metadata: { bench_run: Math.floor(Math.random() * 1000) } }),
  });
  const getRequest = () => ({ method: 'GET' as const, path: `/admin/customers/${randomId()}` });
  const scenarios: [string, () => { method: 'GET' | 'PUT'; path: string; body?: string }, boolean][] = [
    ['PUT /admin/customers/{id}', putRequest, true],
    ['GET /admin/customers/{id}', getRequest, true],
    ['list: first page', () => ({ method: 'GET', path: '/admin/customers' }), true],
    ['list: tier=scale&status=active', () => ({ method: 'GET', path: '/admin/customers?tier=scale&status=active' }), false],
    ['list: 1,000 pages deep', () => ({ method: 'GET', path: `/admin/customers?starting_after=${deepCursor}` }), false],
    // The seed's metadata: region (5 values), seats (500), sso, crm_owner (10,000: 0.01 % of customers each, the selective one).
    [
      'list: metadata[crm_owner]=owner-N',
      () => ({ method: 'GET', path: `/admin/customers?metadata[crm_owner]=owner-${Math.floor(Math.random() * 10000)}` }),
      false,
    ],
    ['list: metadata[seats]=N', () => ({ method: 'GET', path: `/admin/customers?metadata[seats]=${Math.floor(Math.random() * 500)}` }), false],
    [
      'list: metadata[region]&metadata[seats]',
      () => ({ method: 'GET', path: `/admin/customers?metadata[region]=eu-west&metadata[seats]=${Math.floor(Math.random() * 500)}` }),
      false,
    ],
  ];

  const wanted = values.scenarios.split(',').filter(Boolean);
  const rows: Row[] = [];
  for (const [scenario, requestFor, hasReference] of scenarios.filter(([name]) => wanted.length === 0 || wanted.some((word) => name.includes(word)))) {
    for (const connections of CONNECTIONS) {
      const measured = await load(appUrl, connections, requestFor, app.child.pid!);
      rows.push({ scenario, server: 'app', connections, ...measured });
      console.log(
        `${scenario} @${connections}: ${measured.rps.toFixed(0)} req/s, p50 ${measured.p50} ms, p99 ${measured.p99} ms, CPU ${measured.cpuPerRequest.toFixed(0)} µs/request, RSS ${measured.rssMb.toFixed(0)} MB, errors ${measured.errors}`,
      );
      if (before && beforeUrl) {
        const previous = await load(beforeUrl, connections, requestFor, before.child.pid!);
        rows.push({ scenario, server: 'before', connections, ...previous });
        console.log(
          `  before @${connections}: ${previous.rps.toFixed(0)} req/s, p50 ${previous.p50} ms, p99 ${previous.p99} ms, CPU ${previous.cpuPerRequest.toFixed(0)} µs/request`,
        );
      }
      if (hasReference) {
        const baseline = await load(referenceUrl, connections, requestFor, reference.child.pid!);
        rows.push({ scenario, server: 'reference', connections, ...baseline });
        console.log(
          `  reference @${connections}: ${baseline.rps.toFixed(0)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms, CPU ${baseline.cpuPerRequest.toFixed(0)} µs/request`,
        );
      }
    }
    // Tens of thousands of updated rows leave dead tuples and unset hint bits that the next scenario's
    // first server (always the app) would otherwise pay for in PostgreSQL's CPU on these same cores.
    if (scenario.startsWith('PUT')) await vacuumAll();
  }

  const webhookLatency = wanted.length === 0 || wanted.includes('webhook') ? await measureWebhookLatency(appUrl, ids) : undefined;

  app.child.kill('SIGTERM');
  before?.child.kill('SIGTERM');
  reference.child.kill('SIGTERM');
  await Promise.all(
    [app.child, before?.child, reference.child].map((child) =>
      child ? new Promise((done) => (child.exitCode === null ? child.once('exit', done) : done(undefined))) : Promise.resolve(),
    ),
  );
  await onDatabase(serverUrl, async (client) => {
    for (const copy of copies) await client.query(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
  });
  await embedded?.stop();

  const startTimes = await measureEmbeddedStart();
  writeReport(rows, { seedSeconds, postgresVersion, explains, startTimes, webhookLatency, tracedExports: otlpSink?.exports() });
  console.log(`Wrote ${values.output}`);
  process.exit(0);
}

/** Start to ready on an existing embedded data directory, three times. */
async function measureEmbeddedStart(): Promise<number[]> {
  const dataDir = join(ROOT, '.data', 'bench-start-postgres');
  const times: number[] = [];
  for (let run = 0; run < 4; run++) {
    const started = Date.now();
    const app = await startProcess(
      [...START_FLAGS, join(ROOT, 'dist', 'main.js')],
      { EMBEDDED_DB_DIR: dataDir, ADMIN_API_KEYS: KEY, PORT: '0' },
      /ready in (\d+) ms/,
    );
    const wall = Date.now() - started;
    await new Promise((resolve) => {
      app.child.removeAllListeners('exit');
      app.child.on('exit', resolve);
      app.child.kill('SIGTERM');
    });
    if (run > 0) times.push(wall);
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface LatencySummary {
  label: string;
  samples: number;
  lost: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Registers a webhook endpoint on a receiver in this process, then changes one customer's tier at a
 * time and times each change from the PUT's response to the receiver getting its event: once idle,
 * once while autocannon drives PUTs at 8 connections (whose events are delivered too).
 */
async function measureWebhookLatency(appUrl: string, ids: string[]): Promise<LatencySummary[]> {
  const samples = Number(values['webhook-samples']);
  const waiting = new Map<string, { respondedAt: number; resolve: (ms: number) => void }>();
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const probe = JSON.parse(Buffer.concat(chunks).toString()).data?.customer?.metadata?.webhook_probe;
      const waiter = probe === undefined ? undefined : waiting.get(String(probe));
      if (waiter) {
        waiting.delete(String(probe));
        waiter.resolve(performance.now() - waiter.respondedAt);
      }
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const headers = { 'x-api-key': KEY, 'content-type': 'application/json' };
  const created = await fetch(`${appUrl}/admin/webhook-endpoints`, { method: 'POST', headers, body: JSON.stringify({ url: receiverUrl }) });
  if (created.status !== 201) throw new Error(`webhook endpoint: ${created.status} ${await created.text()}`);

  let probe = 0;
  const run = async (label: string): Promise<LatencySummary> => {
    const latencies: number[] = [];
    let lost = 0;
    for (let n = 0; n < samples; n++) {
      const id = ids[Math.floor(Math.random() * ids.length)];
      const key = String(++probe);
      const tier = TIERS[probe % TIERS.length];
      const arrived = new Promise<number>((resolve) => waiting.set(key, { respondedAt: Infinity, resolve }));
      const response = await fetch(`${appUrl}/admin/customers/${id}`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ tier, metadata: { webhook_probe: probe } }),
      });
      const respondedAt = performance.now();
      await response.arrayBuffer();
      const waiter = waiting.get(key);
      if (waiter) waiter.respondedAt = respondedAt;
      const latency = await Promise.race([arrived, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 5000))]);
      if (latency < 0) {
        lost += 1;
        waiting.delete(key);
      } else {
        latencies.push(Math.max(0, latency));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const sorted = latencies.sort((a, b) => a - b);
    const at = (q: number) => Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1));
    const summary = { label, samples, lost, p50: at(0.5), p99: at(0.99), max: Number(sorted[sorted.length - 1].toFixed(1)) };
    console.log(`webhook latency, ${label}: p50 ${summary.p50} ms, p99 ${summary.p99} ms, max ${summary.max} ms, lost ${lost}`);
    return summary;
  };

  const idle = await run('idle');
  // Load from another process, long enough to outlast the probes (about 20 ms each plus the latency).
  mkdirSync(join(ROOT, '.data'), { recursive: true });
  const idsFile = join(ROOT, '.data', 'bench-ids.json');
  writeFileSync(idsFile, JSON.stringify(ids));
  const loadSeconds = Math.ceil(samples * 0.1 + 5);
  const load = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'put-load.ts'), appUrl, KEY, idsFile, String(loadSeconds), '8'],
    {
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let loadOutput = '';
  load.stdout.on('data', (chunk) => (loadOutput += chunk));
  const loadDone = new Promise((resolve) => load.on('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const loaded = await run('under PUT load at 8 connections (another process)');
  load.kill('SIGINT');
  await loadDone;
  receiver.close();
  console.log(`background load: ${loadOutput.trim() || 'stopped early'}`);
  return [idle, loaded];
}

function writeReport(
  rows: Row[],
  context: {
    seedSeconds: number;
    postgresVersion: string;
    explains: Record<string, string>;
    startTimes: number[];
    webhookLatency?: LatencySummary[];
    /** With --trace-app: the OTLP export requests the traced app sent. */
    tracedExports?: number;
  },
): void {
  const cpu = cpus();
  const lines = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench -- --count ${COUNT} --duration ${DURATION} --warmup ${WARMUP} --connections ${CONNECTIONS.join(',')}\` on ${new Date().toISOString().slice(0, 10)} (each run after ${WARMUP} s of the same load, not counted).`,
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node.js ${process.version}, PostgreSQL ${context.postgresVersion}${process.env.DATABASE_URL ? ' (DATABASE_URL)' : ' (embedded)'}.`,
    `The app (\`node ${[...START_FLAGS, 'dist/main.js'].join(' ')}\` as \`npm start\` runs it, LOG_LEVEL=${process.env.LOG_LEVEL ?? 'info'}), the reference (plain node:http + pg, same SQL) and autocannon all run on this machine; load goes to 127.0.0.1 only. Each server has its own copy of the seeded database, vacuumed after the write scenario.`,
    `Seeding ${COUNT} customers took ${context.seedSeconds.toFixed(1)} s.`,
    ...(context.tracedExports === undefined
      ? []
      : [
          `Server \`app\` ran with OpenTelemetry tracing on (--trace-app): it sent ${context.tracedExports} OTLP export requests to a sink in the bench process.`,
        ]),
    '',
    '| scenario | server | connections | req/s | p50 ms | p99 ms | server CPU µs/request | server RSS MB | errors | vs reference (req/s, p99) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const reference = rows.find((other) => other.server === 'reference' && other.scenario === row.scenario && other.connections === row.connections);
    const ratio =
      row.server !== 'reference' && reference ? `${(row.rps / reference.rps).toFixed(2)}×, ${(row.p99 / Math.max(reference.p99, 1)).toFixed(2)}×` : '';
    lines.push(
      `| ${row.scenario} | ${row.server} | ${row.connections} | ${row.rps.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.cpuPerRequest.toFixed(0)} | ${row.rssMb.toFixed(0)} | ${row.errors} | ${ratio} |`,
    );
  }
  lines.push(
    '',
    `Embedded start to ready on an existing data directory (process start to "ready", 3 runs): ${context.startTimes.join(', ')} ms (median ${median(context.startTimes)} ms).`,
    '',
  );
  if (context.webhookLatency) {
    lines.push(
      '## Webhook delivery latency',
      '',
      "A tier change timed from the PUT's response to a local receiver getting its event (target: p99 ≤ 200 ms):",
      '',
    );
    lines.push('| conditions | samples | lost | p50 ms | p99 ms | max ms |', '|---|---|---|---|---|---|');
    for (const row of context.webhookLatency) lines.push(`| ${row.label} | ${row.samples} | ${row.lost} | ${row.p50} | ${row.p99} | ${row.max} |`);
    lines.push('');
  }
  lines.push('## Query plans at this size', '', 'The list queries as the service sends them (`EXPLAIN (ANALYZE, BUFFERS)`):', '');
  for (const [label, plan] of Object.entries(context.explains)) lines.push(`### ${label}`, '', '```', plan, '```', '');
  const output = resolve(ROOT, values.output);
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
