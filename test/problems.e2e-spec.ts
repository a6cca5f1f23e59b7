import { STATUS_TITLES } from '../src/http/problem.exception';
import {
  CUSTOMER_BUSY,
  PROBLEM_TYPES,
  problemTypeUri,
  RESOURCE_BUSY,
  SERVICE_BUSY,
  VALIDATION_FAILED,
  WEBHOOK_ENDPOINT_DISABLED,
} from '../src/http/problem-types';
import { createTestApp, TestApp, WRITE_KEY } from './support/test-app';

/** Every problem's `type` URI resolves to a page saying what it means, when it happens and how to fix it. */
describe('Problem type pages (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(async () => t.close());

  it('every title the code can answer with has a page', () => {
    const listed = new Set(PROBLEM_TYPES.map((type) => type.title));
    for (const title of [
      ...Object.values(STATUS_TITLES),
      VALIDATION_FAILED,
      CUSTOMER_BUSY,
      RESOURCE_BUSY,
      SERVICE_BUSY,
      WEBHOOK_ENDPOINT_DISABLED,
      'Client Error',
      'Server Error',
    ])
      expect([title, listed.has(title)]).toEqual([title, true]);
  });

  it.each(PROBLEM_TYPES.map((type) => [type.title, type]))('%s: its type URI answers a page without a key', async (_title, type) => {
    const response = await t.http().get(problemTypeUri(type.title)).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain(`<h1>${type.title.replace(/&/g, '&#38;')} <small>(${type.status})</small></h1>`);
    expect(response.text).toMatch(/What it means[\s\S]*When it happens[\s\S]*How to fix it[\s\S]*Example/);
  });

  it('the type of real problems resolves, and an unknown type is a 404 problem', async () => {
    const problems = [
      await t.http().put('/admin/customers/not-a-uuid').set('x-api-key', WRITE_KEY).send({}),
      await t.http().get('/admin/customers'),
      await t.http().get('/admin/customers/550e8400-e29b-41d4-a716-000000000000').set('x-api-key', WRITE_KEY),
    ];
    for (const problem of problems) await t.http().get(problem.body.type).expect(200);
    const unknown = await t.http().get('/problems/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    await t.http().get('/problems').expect(200);
  });
});
