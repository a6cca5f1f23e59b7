import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RunningCustomerAdminApi, startCustomerAdminApi } from '../client/index';
import { createCustomer } from './support/customers';
import { createTestApp, TestApp, WRITE_KEY } from './support/test-app';
import { createIsolatedDatabase } from './support/test-database';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const WORK = join(ROOT, '.data', 'readme-test');
const PRINTED_URL = 'http://localhost:3000';

interface Block {
  language: string;
  code: string;
  line: number;
  compileOnly: boolean;
  /** A js block that is a webhook receiver rather than a NOTIFY listener. */
  webhookReceiver: boolean;
  /** The Errors section's example: a real response, field for field. */
  errorExample: boolean;
}

function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    const before = markdown.slice(0, match.index);
    blocks.push({
      language: match[1],
      code: match[2],
      line: before.split('\n').length,
      compileOnly: /<!-- readme-test: compile-only -->\s*$/.test(before),
      webhookReceiver: /<!-- readme-test: webhook-receiver -->\s*$/.test(before),
      errorExample: /<!-- readme-test: error-example -->\s*$/.test(before),
    });
  }
  return blocks;
}

/** A shell block made only of curl commands (some captured in a variable, `ID=$(curl …)`, and the KEY= line that precedes them): runnable against an instance. */
function isCurlBlock(code: string): boolean {
  const lines = code.split('\n');
  return (
    lines.some((line) => line.startsWith('curl ')) &&
    lines.every((line, index) => {
      const trimmed = line.trim();
      return (
        trimmed === '' ||
        trimmed.startsWith('#') ||
        /^curl\s/.test(trimmed) ||
        /^[A-Z_]+=\$\(curl\s/.test(trimmed) ||
        /^KEY=/.test(trimmed) ||
        lines[index - 1]?.trimEnd().endsWith('\\')
      );
    })
  );
}

const blocks = codeBlocks(README);
const label = (block: Block) => `README line ${block.line} (${block.language || 'text'})`;

/** Every code block in the README runs as printed (or, for setup snippets, compiles), against a real instance. */
describe('README code blocks (e2e)', () => {
  let api: RunningCustomerAdminApi;
  beforeAll(async () => {
    mkdirSync(WORK, { recursive: true });
    await run('npm', ['run', 'build', '--workspace', 'client', '--no-update-notifier'], { cwd: ROOT });
    api = await startCustomerAdminApi({ serviceDir: ROOT });
  }, 90_000);
  afterAll(async () => api?.stop());

  it('finds the blocks it is meant to run', () => {
    expect(blocks.filter((block) => block.language === 'bash' && isCurlBlock(block.code)).length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((block) => block.language === 'ts').length).toBeGreaterThanOrEqual(2);
    expect(blocks.filter((block) => block.language === 'js' && !block.webhookReceiver).length).toBeGreaterThanOrEqual(1);
    expect(blocks.filter((block) => block.language === 'js' && block.webhookReceiver).length).toBe(1);
  });

  it.each(blocks.filter((block) => block.language === 'json').map((block) => [label(block), block]))('%s is valid JSON', (_label, block) => {
    expect(() => JSON.parse(block.code)).not.toThrow();
  });

  it('the Errors example is the answer the service really gives, in its field order (request_id aside)', async () => {
    const example = blocks.find((block) => block.errorExample);
    expect(example).toBeDefined();
    const printed = JSON.parse(example!.code) as Record<string, unknown>;
    const response = await fetch(`${api.url}/admin/customers/550e8400-e29b-41d4-a716-446655440000`, {
      method: 'PUT',
      headers: { 'x-api-key': api.key, 'content-type': 'application/json' },
      body: JSON.stringify({ tier: 'premium', tierr: 'scale' }),
    });
    expect(response.status).toBe(printed.status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const real = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(real)).toEqual(Object.keys(printed));
    expect({ ...real, request_id: printed.request_id }).toEqual(printed);
    expect(real.request_id).toBe(response.headers.get('x-request-id'));
  });

  it.each(blocks.filter((block) => block.language === 'bash' && isCurlBlock(block.code)).map((block) => [label(block), block]))(
    '%s: every curl succeeds against a running instance',
    async (_label, block) => {
      const script = [
        'set -euo pipefail',
        // As printed, but failing on an HTTP error so a broken example cannot pass.
        'curl() { command curl --silent --show-error --fail-with-body "$@"; echo; }',
        ...block.code.split('\n').filter((line) => !/^KEY=/.test(line.trim())),
      ].join('\n');
      const { stdout } = await run('bash', ['-c', script.replaceAll(PRINTED_URL, api.url)], { env: { ...process.env, KEY: api.key } });
      expect(stdout.trim().length).toBeGreaterThan(0);
    },
    30_000,
  );

  it.each(blocks.filter((block) => block.language === 'ts').map((block) => [label(block), block]))(
    '%s compiles against the client package, and runs unless it is setup code',
    async (_label, block) => {
      const file = join(WORK, `block-${block.line}.ts`);
      writeFileSync(file, block.code);
      const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
      await run(
        tsc,
        [
          '--strict',
          '--module',
          'commonjs',
          '--target',
          'ES2022',
          '--moduleResolution',
          'node',
          '--skipLibCheck',
          '--esModuleInterop',
          '--types',
          'node',
          file,
        ],
        { cwd: WORK },
      );
      if (block.compileOnly) return;
      const { stdout, stderr } = await run(process.execPath, [file.replace(/\.ts$/, '.js')], {
        cwd: WORK,
        env: { ...process.env, CUSTOMER_ADMIN_API_URL: api.url, ADMIN_API_KEY: api.key },
      });
      expect(stderr).toBe('');
      expect(stdout.trim()).toBe('500000');
    },
    60_000,
  );

  describe('the NOTIFY listener', () => {
    // A database of its own, so the listener hears this test's change and not the rest of the suite's.
    let t: TestApp;
    let databaseUrl: string;
    let database: { url: string; drop: () => Promise<void> };
    beforeAll(async () => {
      database = await createIsolatedDatabase('readme');
      databaseUrl = database.url;
      t = await createTestApp({}, databaseUrl);
    });
    afterAll(async () => {
      await t.close();
      await database.drop();
    });

    it.each(blocks.filter((block) => block.language === 'js' && !block.webhookReceiver).map((block) => [label(block), block]))(
      '%s hears a change as printed',
      async (_label, block) => {
        const file = join(WORK, `block-${block.line}.js`);
        writeFileSync(file, block.code);
        const listener = spawn(process.execPath, [file], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } });
        let output = '';
        listener.stdout.on('data', (chunk) => (output += chunk));
        listener.stderr.on('data', (chunk) => (output += chunk));
        try {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const customer = await createCustomer(t, { tier: 'growth' });
          await t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).send({ tier: 'scale' }).expect(200);
          for (const deadline = Date.now() + 5000; !output.includes("tier: 'scale'") && Date.now() < deadline;)
            await new Promise((resolve) => setTimeout(resolve, 50));
          expect(output).toContain(customer.customer_id);
          expect(output).toContain("tier: 'scale'");
          expect(output).not.toMatch(/Warning|Error/);
        } finally {
          listener.kill();
        }
      },
    );

    it.each(blocks.filter((block) => block.language === 'js' && block.webhookReceiver).map((block) => [label(block), block]))(
      '%s verifies and prints a signed delivery as printed, and refuses a forged one',
      async (_label, block) => {
        const file = join(WORK, `block-${block.line}.js`);
        writeFileSync(file, block.code);
        const port = 20000 + (process.pid % 20000);
        const endpoint = await t
          .http()
          .post('/admin/webhook-endpoints')
          .set('x-api-key', WRITE_KEY)
          .send({ url: `http://127.0.0.1:${port}/webhooks` })
          .expect(201);
        const receiver = spawn(process.execPath, [file], { cwd: ROOT, env: { ...process.env, WEBHOOK_SECRET: endpoint.body.secret, PORT: String(port) } });
        let output = '';
        receiver.stdout.on('data', (chunk) => (output += chunk));
        receiver.stderr.on('data', (chunk) => (output += chunk));
        try {
          for (const deadline = Date.now() + 5000; !output.includes('listening') && Date.now() < deadline;)
            await new Promise((resolve) => setTimeout(resolve, 50));
          const customer = await createCustomer(t, { tier: 'growth' });
          await t.http().put(`/admin/customers/${customer.customer_id}`).set('x-api-key', WRITE_KEY).send({ tier: 'scale' }).expect(200);
          const line = `customer.updated ${customer.customer_id} scale`;
          for (const deadline = Date.now() + 5000; !output.includes(line) && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 50));
          expect(output).toContain(`customer.created ${customer.customer_id} growth`);
          expect(output).toContain(line);
          const forged = await fetch(`http://127.0.0.1:${port}/webhooks`, {
            method: 'POST',
            headers: { 'webhook-id': 'x', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
            body: '{}',
          });
          expect(forged.status).toBe(400);
          expect(output).not.toMatch(/Warning|Error/);
        } finally {
          receiver.kill();
        }
      },
    );
  });
});
