import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApiDocument } from '../src/app.setup';
import { stableOpenApiJson } from '../src/openapi/stable-openapi';
import { createTestApp, TestApp } from './support/test-app';

describe('OpenAPI document (e2e)', () => {
  let t: TestApp;
  let document: any;

  beforeAll(async () => {
    t = await createTestApp();
    document = (await t.http().get('/docs-json').expect(200)).body;
  });
  afterAll(async () => t.close());

  it('publishes the Update Customer reference', () => {
    const operation = document.paths['/admin/customers/{customer_id}'].put;
    expect(operation.summary).toBe('Update Customer');
    expect(operation.operationId).toBe('updateCustomer');
    expect(operation.description).toContain('Update customer information including tier, status, and contract details.');
    expect(operation.description).toContain('Tier changes take effect immediately. Rate limits will be updated to match the new tier.');
    expect(operation.parameters).toEqual([
      expect.objectContaining({ name: 'customer_id', in: 'path', required: true, description: 'Customer UUID' }),
      expect.objectContaining({ name: 'If-Match', in: 'header', required: false }),
    ]);
    expect(operation.responses['200'].headers.ETag).toBeDefined();
    expect(operation.requestBody.description).toBe('All fields are optional. Only provided fields will be updated.');
    const examples = operation.requestBody.content['application/json'].examples;
    expect(examples.upgradeTier.value).toEqual({ tier: 'scale' });
    expect(examples.suspendCustomer.value).toEqual({ status: 'suspended' });
    expect(examples.reactivateCustomer.value).toEqual({ status: 'active' });
    expect(operation.responses['200'].description).toBe('Returns the updated customer object.');
    expect(operation.responses['200'].content['application/json'].example).toMatchObject({
      customer_id: '550e8400-e29b-41d4-a716-446655440000',
      company_name: 'Acme Financial',
      tier: 'scale',
      annual_commitment: 500000,
      annual_validation_limit: 30000000,
      updated_at: '2026-01-20T15:00:00Z',
    });
    for (const status of ['400', '401', '404', '409', '412', 'default']) {
      expect(operation.responses[status].content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
    }
    // The errors alike on every operation are one `default` row with an example per status.
    expect(Object.keys(operation.responses.default.content['application/problem+json'].examples)).toEqual(['403', '413', '415', '429', '431', '500', '503']);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '404', '409', '412', 'default']);
  });

  it('documents the request fields with the reference descriptions and enums', () => {
    const { properties, required } = document.components.schemas.UpdateCustomer;
    expect(required ?? []).toEqual([]);
    expect(properties.company_name.description).toBe('Updated company name');
    expect(properties.contact_email.description).toBe('Updated contact email');
    expect(properties.tier.description).toBe('New pricing tier: starter, growth, scale, enterprise, custom');
    expect(properties.status.description).toBe('Account status: active, suspended');
    expect(properties.contract_start.description).toMatch(/^Contract start date \(ISO 8601\)/);
    expect(properties.contract_end.description).toMatch(/^Contract end date \(ISO 8601\)/);
    expect(properties.metadata.description).toMatch(/^Additional metadata/);
    expect(document.components.schemas.Tier.enum).toEqual(['starter', 'growth', 'scale', 'enterprise', 'custom']);
    expect(document.components.schemas.CustomerStatus.enum).toEqual(['active', 'suspended']);
  });

  it('documents ETags, conditional requests, idempotent creates and the events endpoint', () => {
    const get = document.paths['/admin/customers/{customer_id}'].get;
    expect(get.parameters.map((p: any) => p.name)).toContain('If-None-Match');
    expect(get.responses['304']).toBeDefined();
    const post = document.paths['/admin/customers'].post;
    expect(post.parameters.map((p: any) => p.name)).toContain('Idempotency-Key');
    expect(post.responses['422'].content['application/problem+json']).toBeDefined();
    const events = document.paths['/admin/customers/{customer_id}/events'].get;
    expect(events.operationId).toBe('listCustomerEvents');
    expect(events.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['customer_id', 'limit', 'starting_after']));
  });

  it('has a named x-api-key scheme referenced by every protected operation', () => {
    expect(document.components.securitySchemes['x-api-key']).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }));
    for (const [path, operations] of Object.entries<any>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        if (path.startsWith('/health')) expect(operation.security).toBeUndefined();
        else expect({ path, method, security: operation.security }).toEqual({ path, method, security: [{ 'x-api-key': [] }] });
      }
    }
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await t.http().get('/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger-ui');
  });

  it('matches the committed openapi.json (run `npm run openapi` after changing the API)', () => {
    const committed = readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8');
    expect(stableOpenApiJson(buildOpenApiDocument(t.app))).toBe(committed);
  });
});
