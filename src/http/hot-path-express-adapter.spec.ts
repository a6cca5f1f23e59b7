import { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExpressAdapter } from '@nestjs/platform-express';
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

describe("HotPathExpressAdapter.initHttpServer against Nest's own", () => {
  // Everything Nest's initHttpServer leaves on the adapter and its server, but for the message classes.
  const shapeOf = (adapter: ExpressAdapter) => {
    const server = adapter.getHttpServer() as Server & Record<string, unknown>;
    const settings = Object.fromEntries(
      Object.entries(server).filter(([key, value]) => !key.startsWith('_') && typeof value !== 'function' && typeof value !== 'object' && !/Symbol/.test(key)),
    );
    const adapterFields = Object.keys(adapter).sort();
    return { isHttpServer: server instanceof Server, listeners: server.listenerCount('request'), settings, adapterFields };
  };

  it('sets up what Nest does (pinned at @nestjs/platform-express 11.2): an http server for the app, nothing more', () => {
    const ours = new HotPathExpressAdapter();
    const nests = new ExpressAdapter();
    ours.initHttpServer({});
    nests.initHttpServer({});
    expect(shapeOf(ours)).toEqual(shapeOf(nests));
  });

  it("hands forceCloseConnections (and HTTPS) to Nest's own set-up, which tracks connections", () => {
    const ours = new HotPathExpressAdapter();
    const nests = new ExpressAdapter();
    ours.initHttpServer({ forceCloseConnections: true });
    nests.initHttpServer({ forceCloseConnections: true });
    const connectionListeners = (adapter: ExpressAdapter) => (adapter.getHttpServer() as Server).listenerCount('connection');
    expect(connectionListeners(ours)).toBeGreaterThan(0);
    expect(connectionListeners(ours)).toBe(connectionListeners(nests));
  });
});
