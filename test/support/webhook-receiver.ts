import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  receivedAt: number;
}

export type Reply = (webhook: ReceivedWebhook) => { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as `reply` says (200 by default). */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  reply: Reply = () => ({ status: 200, body: 'ok' });
  private server?: Server;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Listens (again) on the same port after `stop`, if it had one. */
  async start(): Promise<this> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const webhook: ReceivedWebhook = { headers: request.headers, body, json: safeParse(body), receivedAt: Date.now() };
        this.received.push(webhook);
        const answer = this.reply(webhook);
        const send = () => {
          if (response.destroyed) return;
          response.writeHead(answer.status, answer.headers);
          response.end(answer.body ?? '');
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
        else send();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  eventsFor(customerId: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.json?.data?.customer?.customer_id === customerId);
  }
}

function safeParse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
