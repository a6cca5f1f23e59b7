import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';

/**
 * Requests born with Express's prototypes: Express's `app.handle` gives every request and response
 * the app's own prototypes with `Object.setPrototypeOf`. Changing a live object's prototype throws
 * it off V8's fast paths, and the objects it reaches then outlive young-generation collections: they
 * were promoted to the old space at ~2 MB per scavenge and collected by a full mark-compact about
 * four times a second, while the same load on node:http alone promoted nothing (BENCHMARKS.md).
 * This adapter's server creates requests and responses as instances of classes whose prototypes
 * are the app's, so that call finds the prototype already in place and does nothing; the chain
 * (app prototype → Express's → node's) is the one Express would have set.
 *
 * Nest offers no hook for the server's message classes, so `initHttpServer` is Nest's own (11.2:
 * `http.createServer(app)`) with them added; the unit spec fails if Nest's version starts doing
 * more than that (README, "Dependency internals").
 */
export class HotPathExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    // HTTPS and connection tracking (unused here) stay with Nest's own server set-up.
    if (options?.httpsOptions || options?.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    this.httpServer = createServer(messageClassesWithAppPrototypes(app), app);
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
