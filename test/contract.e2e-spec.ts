import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createCustomerAdminClient } from '../client/index';
import { createCustomer } from './support/customers';
import { OpenApiContract, RecordedResponse } from './support/openapi-contract';
import { createTestApp, READ_KEY, TestApp, WRITE_KEY } from './support/test-app';

const ROOT = join(__dirname, '..');

describe('The OpenAPI document as a contract (e2e)', () => {
  let t: TestApp;
  let contract: OpenApiContract;

  beforeAll(async () => {
    t = await createTestApp();
    contract = await OpenApiContract.load();
  });
  afterAll(async () => t.close());

  it('is a valid OpenAPI document (swagger-parser)', async () => {
    await expect(SwaggerParser.validate(join(ROOT, 'openapi.json'))).resolves.toBeDefined();
  });

  it('passes the Redocly linter with zero errors and zero warnings', () => {
    const output = execFileSync(join(ROOT, 'node_modules', '.bin', 'redocly'), ['lint', 'openapi.json', '--format', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const report = JSON.parse(output.slice(output.indexOf('{')));
    expect(report.totals).toEqual(expect.objectContaining({ errors: 0, warnings: 0 }));
  });

  it('names its version after the package, no schema after a DTO, describes every tag, and gives every path parameter an example', async () => {
    const document = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8'));
    expect(document.info.version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(Object.keys(document.components.schemas).filter((name) => name.endsWith('Dto'))).toEqual([]);
    const used = new Set(Object.values<any>(document.paths).flatMap((item) => Object.values<any>(item).flatMap((operation) => operation.tags ?? [])));
    for (const tag of used) expect(document.tags.find((described: { name: string }) => described.name === tag)?.description).toBeTruthy();
    const withoutExample = Object.entries<any>(document.paths).flatMap(([path, item]) =>
      Object.values<any>(item).flatMap((operation) =>
        (operation.parameters ?? [])
          .filter((parameter: any) => parameter.in === 'path' && (parameter.example ?? parameter.schema?.example) === undefined)
          .map((parameter: any) => `${path} ${parameter.name}`),
      ),
    );
    expect(withoutExample).toEqual([]);
  });

  it('has stable operationIds and tags on every operation', async () => {
    const document = (await SwaggerParser.parse(join(ROOT, 'openapi.json'))) as any;
    const operations = Object.values<any>(document.paths).flatMap((item) => Object.values<any>(item));
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(
      [
        'archiveCustomer',
        'createCustomer',
        'eraseCustomer',
        'getCustomer',
        'getHealth',
        'getLiveness',
        'getMetrics',
        'getReadiness',
        'listCustomerEvents',
        'listEvents',
        'listCustomers',
        'listTiers',
        'updateCustomer',
        'createWebhookEndpoint',
        'listWebhookEndpoints',
        'patchCustomer',
        'restoreCustomer',
        'getWebhookEndpoint',
        'updateWebhookEndpoint',
        'deleteWebhookEndpoint',
        'rotateWebhookEndpointSecret',
        'listWebhookDeliveries',
        'retryWebhookDelivery',
        'replayWebhookEndpoint',
        'scheduleCustomerChange',
        'listScheduledChanges',
        'getScheduledChange',
        'cancelScheduledChange',
      ].sort(),
    );
    for (const operation of operations) expect(operation.tags?.length).toBeGreaterThan(0);
  });

  it('real responses, successes and errors, validate against the documented schemas', async () => {
    const recorded: RecordedResponse[] = [];
    const record = async (method: string, path: string, request: any) => {
      const response = await request;
      recorded.push({ method, path, status: response.status, contentType: response.headers['content-type'] ?? '', body: response.body });
      return response;
    };
    const customer = await createCustomer(t, { metadata: { region: 'eu' }, contract_start: '2026-01-01' });
    const id = customer.customer_id;
    const one = '/admin/customers/{customer_id}';
    const http = t.http;

    await record(
      'POST',
      '/admin/customers',
      http().post('/admin/customers').set('x-api-key', WRITE_KEY).send({ company_name: 'Contract Co', contact_email: 'c@contract.example' }),
    );
    await record('POST', '/admin/customers', http().post('/admin/customers').set('x-api-key', WRITE_KEY).send({ company_name: '' }));
    await record('POST', '/admin/customers', http().post('/admin/customers').set('x-api-key', WRITE_KEY).set('Content-Type', 'text/plain').send('x'));
    const key = `contract-${id}`;
    await record(
      'POST',
      '/admin/customers',
      http().post('/admin/customers').set('x-api-key', WRITE_KEY).set('Idempotency-Key', key).send({ company_name: 'A', contact_email: 'a@contract.example' }),
    );
    await record(
      'POST',
      '/admin/customers',
      http().post('/admin/customers').set('x-api-key', WRITE_KEY).set('Idempotency-Key', key).send({ company_name: 'B', contact_email: 'b@contract.example' }),
    );
    await record('GET', '/admin/customers', http().get('/admin/customers').query({ tier: 'starter', limit: 2 }).set('x-api-key', READ_KEY));
    await record('GET', '/admin/customers', http().get('/admin/customers').query({ limit: 0 }).set('x-api-key', READ_KEY));
    await record('GET', '/admin/customers', http().get('/admin/customers'));
    const read = await record('GET', one, http().get(`/admin/customers/${id}`).set('x-api-key', READ_KEY));
    await record('GET', one, http().get(`/admin/customers/${id}`).set('x-api-key', READ_KEY).set('If-None-Match', read.headers.etag));
    await record('GET', one, http().get('/admin/customers/00000000-0000-4000-8000-000000000000').set('x-api-key', READ_KEY));
    await record('GET', one, http().get('/admin/customers/nope').set('x-api-key', READ_KEY));
    await record(
      'PUT',
      one,
      http()
        .put(`/admin/customers/${id}`)
        .set('x-api-key', WRITE_KEY)
        .send({ tier: 'scale', metadata: { seats: 3 } }),
    );
    await record('PUT', one, http().put(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY).send({ tier: 'gold' }));
    await record('PUT', one, http().put(`/admin/customers/${id}`).set('x-api-key', WRITE_KEY).set('If-Match', '"v1"').send({ tier: 'growth' }));
    await record('PUT', one, http().put(`/admin/customers/${id}`).set('x-api-key', READ_KEY).send({ tier: 'growth' }));
    await record(
      'PUT',
      one,
      http()
        .put(`/admin/customers/${id}`)
        .set('x-api-key', WRITE_KEY)
        .send({ company_name: 'x'.repeat(70_000) }),
    );
    await record('PUT', one, http().put('/admin/customers/00000000-0000-4000-8000-000000000000').set('x-api-key', WRITE_KEY).send({}));
    await record('GET', `${one}/events`, http().get(`/admin/customers/${id}/events`).set('x-api-key', READ_KEY));
    await record('GET', `${one}/events`, http().get(`/admin/customers/${id}/events`).query({ starting_after: 'x' }).set('x-api-key', READ_KEY));
    await record('GET', '/admin/tiers', http().get('/admin/tiers').set('x-api-key', READ_KEY));
    await record('GET', '/health', http().get('/health'));
    await record('GET', '/health/live', http().get('/health/live'));
    await record('GET', '/health/ready', http().get('/health/ready'));
    await record(
      'GET',
      '/metrics',
      http()
        .get('/metrics')
        .set('x-api-key', READ_KEY)
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => done(null, text));
        }),
    );

    const throttled = await createTestApp({ THROTTLE_LIMIT: '1' });
    try {
      await throttled.http().get('/admin/tiers').set('x-api-key', READ_KEY);
      await record('GET', '/admin/tiers', throttled.http().get('/admin/tiers').set('x-api-key', READ_KEY));
    } finally {
      await throttled.close();
    }

    const statuses = new Set(recorded.map((r) => r.status));
    for (const status of [200, 201, 304, 400, 401, 403, 404, 412, 413, 415, 422, 429]) expect(statuses).toContain(status);
    expect(recorded.flatMap((response) => contract.problems(response))).toEqual([]);
  });

  it('the typed client (client/) talks to the running API', async () => {
    await new Promise<void>((resolve) => t.app.getHttpServer().listen(0, '127.0.0.1', resolve));
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const client = createCustomerAdminClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: WRITE_KEY });

    const created = await client.POST('/admin/customers', { body: { company_name: 'Typed Client Co', contact_email: 'typed@client.example', tier: 'growth' } });
    expect(created.response.status).toBe(201);
    const customerId = created.data!.customer_id;
    const updated = await client.PUT('/admin/customers/{customer_id}', { params: { path: { customer_id: customerId } }, body: { tier: 'scale' } });
    expect(updated.data).toMatchObject({ tier: 'scale', annual_commitment: 500000, annual_validation_limit: 30000000 });
    const invalid = await client.PUT('/admin/customers/{customer_id}', { params: { path: { customer_id: customerId } }, body: { status: 'gone' as 'active' } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error).toMatchObject({ status: 400, errors: [{ field: 'status' }] });
    const page = await client.GET('/admin/customers', { params: { query: { q: 'Typed Client', limit: 5 } } });
    expect(page.data!.data.map((c) => c.customer_id)).toContain(customerId);
  });

  it('client/schema.ts is generated from the committed openapi.json (run `npm run openapi` after API changes)', () => {
    const generated = execFileSync(join(ROOT, 'node_modules', '.bin', 'openapi-typescript'), [join(ROOT, 'openapi.json')], { encoding: 'utf8' });
    expect(generated.trim()).toBe(readFileSync(join(ROOT, 'client', 'schema.ts'), 'utf8').trim());
  });
});
