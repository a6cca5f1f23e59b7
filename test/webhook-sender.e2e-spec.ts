import { createServer as createTcpServer, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sendWebhook, WEBHOOK_RESPONSE_BODY_LIMIT } from '../src/webhooks/webhook-sender';
import { WebhookReceiver } from './support/webhook-receiver';

/** The HTTP side of a delivery attempt, against real sockets on 127.0.0.1 (no database). */
describe('Webhook sender (e2e)', () => {
  const receiver = new WebhookReceiver();
  const allowed = { timeoutMs: 2000, allowPrivateNetworks: true };
  const send = (url = receiver.url, options = allowed) => sendWebhook({ url, headers: { 'webhook-id': 'msg_1' }, body: '{"a":1}' }, options);

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.reply = () => ({ status: 200, body: 'ok' });
  });

  it('POSTs the body as JSON with the given headers and reports the answer', async () => {
    const result = await send();
    expect(result).toMatchObject({ status: 200, responseBody: 'ok', error: null });
    expect(receiver.received[0].body).toBe('{"a":1}');
    expect(receiver.received[0].headers).toMatchObject({ 'content-type': 'application/json', 'webhook-id': 'msg_1' });
  });

  it('does not follow a redirect, and says so', async () => {
    receiver.reply = (webhook) => (webhook.headers['x-forwarded'] ? { status: 200 } : { status: 302, headers: { location: `${receiver.url}/elsewhere` } });
    const result = await send();
    expect(result.status).toBe(302);
    expect(result.error).toMatch(/Redirect to http:\/\/127\.0\.0\.1:\d+\/hooks\/elsewhere not followed/);
    expect(receiver.received).toHaveLength(1);
  });

  it(`keeps at most ${WEBHOOK_RESPONSE_BODY_LIMIT} bytes of a large response body`, async () => {
    receiver.reply = () => ({ status: 500, body: 'x'.repeat(5_000_000) });
    const result = await send();
    expect(result.status).toBe(500);
    expect(result.responseBody).toHaveLength(WEBHOOK_RESPONSE_BODY_LIMIT);
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    receiver.reply = () => ({ status: 200, delayMs: 3000 });
    const started = Date.now();
    const result = await send(receiver.url, { timeoutMs: 300, allowPrivateNetworks: true });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result).toMatchObject({ status: null, error: 'No response within 300 ms' });
  });

  it('reports a refused connection', async () => {
    const down = new WebhookReceiver();
    await down.start();
    const url = down.url;
    await down.stop();
    expect(await send(url)).toMatchObject({ status: null, error: 'Connection refused' });
  });

  it('refuses loopback and private addresses, by literal or by name, when private networks are not allowed', async () => {
    const refused = { timeoutMs: 2000, allowPrivateNetworks: false };
    for (const url of [
      receiver.url,
      `http://localhost:${receiver.port}/hooks`,
      `http://[::1]:${receiver.port}/`,
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.1/',
    ]) {
      const result = await send(url, refused);
      expect({ url, status: result.status, error: result.error }).toEqual({
        url,
        status: null,
        error: expect.stringMatching(/resolves to .*non-public address/),
      });
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('stops when its signal is aborted (shutdown)', async () => {
    receiver.reply = () => ({ status: 200, delayMs: 3000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await sendWebhook({ url: receiver.url, headers: {}, body: '{}' }, { ...allowed, signal: controller.signal });
    expect(result).toMatchObject({ status: null, error: 'Interrupted: the service is shutting down' });
  });

  it('sends again on a new connection when a kept-alive one turns out to be closed', async () => {
    // Answers the first request of each connection and keeps it open, then drops the connection
    // on its next request: what a receiver that closes idle connections looks like to the sender.
    let connections = 0;
    const sockets = new Set<Socket>();
    const server = createTcpServer((socket) => {
      connections += 1;
      sockets.add(socket);
      let requests = 0;
      socket.on('data', () => {
        requests += 1;
        if (requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok');
        else socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
    try {
      expect(await send(url)).toMatchObject({ status: 200, error: null });
      expect(await send(url)).toMatchObject({ status: 200, error: null });
      expect(connections).toBe(2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
