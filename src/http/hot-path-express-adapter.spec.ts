import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, Request, Response } from 'express';
import { HotPathExpressAdapter } from './hot-path-express-adapter';

describe('HotPathExpressAdapter server', () => {
  let server: Server;
  let app: Express;
  let base: string;
  const prototypesOnArrival: { request: boolean; response: boolean }[] = [];

  beforeAll(async () => {
    const adapter = new HotPathExpressAdapter();
    app = adapter.getInstance<Express>();
    app.get('/items/:id', (request: Request, response: Response) => {
      response.json({ id: request.params.id, query: request.query, host: request.hostname, sameApp: request.app === app });
    });
    adapter.initHttpServer({});
    server = adapter.getHttpServer();
    // Runs before Express's handler: what the request and response look like as node:http made them.
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      prototypesOnArrival.push({ request: Object.getPrototypeOf(request) === app.request, response: Object.getPrototypeOf(response) === app.response });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("creates requests and responses that already have the app's prototypes, so Express does not change them", async () => {
    await fetch(`${base}/items/1`);
    expect(prototypesOnArrival).toEqual([{ request: true, response: true }]);
  });

  it("keeps Express's request and response behaviour: params, query, hostname, app, res.json", async () => {
    const reply = await fetch(`${base}/items/abc?tier=pro&tag=a&tag=b`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await reply.json()).toEqual({ id: 'abc', query: { tier: 'pro', tag: ['a', 'b'] }, host: '127.0.0.1', sameApp: true });
  });

  it("answers an unknown route with Express's 404", async () => {
    const reply = await fetch(`${base}/nowhere`);
    expect(reply.status).toBe(404);
  });
});
