import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { HttpStatus, NestApplicationOptions, StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';

const CONDITIONAL_HEADERS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since'] as const;

/**
 * Two per-request costs of Express, removed without changing what Express does.
 *
 * Requests born with Express's prototypes: Express's `app.handle` gives every request and response
 * the app's own prototypes with `Object.setPrototypeOf`. Changing a live object's prototype throws
 * it off V8's fast paths, and the objects it reaches then outlive young-generation collections: they
 * were promoted to the old space at ~2 MB per scavenge and collected by a full mark-compact about
 * four times a second, while the same load on node:http alone promoted nothing (BENCHMARKS.md).
 * This adapter's server creates requests and responses as instances of classes whose prototypes
 * are the app's, so that call finds the prototype already in place and does nothing; the chain
 * (app prototype → Express's → node's) is the one Express would have set.
 *
 * Express's `res.json` → `res.send` re-reads three app settings, parses and re-formats the
 * Content-Type it has just set, and runs the ETag and freshness machinery on every response: a
 * visible share of a GET's CPU (BENCHMARKS.md). A JSON body answered with 2xx to a request without
 * conditional headers, where nothing has set a Content-Type, is written directly with the same
 * headers Express would send; everything else (errors, 304s, streams, HEAD, other types) goes
 * Express's way unchanged.
 */
export class HotPathExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    // HTTPS and connection tracking (unused here) stay with Nest's own server set-up.
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    this.httpServer = createServer(messageClassesWithAppPrototypes(app), app);
  }

  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    const status = statusCode ?? response.statusCode;
    if (
      body === null ||
      typeof body !== 'object' ||
      body instanceof StreamableFile ||
      status < HttpStatus.OK ||
      status >= HttpStatus.AMBIGUOUS ||
      status === HttpStatus.NO_CONTENT ||
      response.hasHeader('content-type') ||
      response.req.method === 'HEAD' ||
      CONDITIONAL_HEADERS.some((header) => response.req.headers[header] !== undefined)
    ) {
      return super.reply(response, body, statusCode);
    }
    const json = JSON.stringify(body);
    response.statusCode = status;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Content-Length', Buffer.byteLength(json));
    return response.end(json);
  }
}

/** Classes whose instances already have the prototypes Express's `app.handle` would give them (see above). */
export function messageClassesWithAppPrototypes(app: Express): { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } {
  class ExpressRequest extends IncomingMessage {}
  class ExpressResponse extends ServerResponse {}
  Object.setPrototypeOf(ExpressRequest.prototype, app.request);
  Object.setPrototypeOf(ExpressResponse.prototype, app.response);
  app.request = ExpressRequest.prototype as unknown as Request;
  app.response = ExpressResponse.prototype as unknown as Response;
  return { IncomingMessage: ExpressRequest, ServerResponse: ExpressResponse as typeof ServerResponse };
}
