import { KnownRoutes } from './known-routes';

describe('KnownRoutes', () => {
  const routes = new KnownRoutes();
  routes.learnFrom(() => ({
    '/admin/customers': { get: {}, post: {} },
    '/admin/customers/{customer_id}': { get: {}, put: {}, patch: {} },
    '/admin/customers/{customer_id}/events': { get: {} },
    '/health': { get: {}, head: {} },
  }));

  it.each([
    ['/admin/customers', ['GET', 'HEAD', 'POST']],
    ['/admin/customers/', ['GET', 'HEAD', 'POST']],
    ['/admin/customers/550e8400-e29b-41d4-a716-446655440000', ['GET', 'HEAD', 'PATCH', 'PUT']],
    ['/admin/customers/not-a-uuid/events', ['GET', 'HEAD']],
    ['/health', ['GET', 'HEAD']],
  ])('%s answers %j', (path, methods) => expect(routes.allowedMethods(path)).toEqual(methods));

  it.each(['/admin', '/admin/customers/a/b', '/admin/customers/a/events/x', '/healthz', '/admin/customers.json'])('%s is not a path of the API', (path) =>
    expect(routes.allowedMethods(path)).toBeUndefined(),
  );
});
