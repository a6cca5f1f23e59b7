import { HttpStatus, StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Response } from 'express';

const CONDITIONAL_HEADERS = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since'] as const;

/**
 * Express's `res.json` → `res.send` re-reads three app settings, parses and re-formats the
 * Content-Type it has just set, and runs the ETag and freshness machinery on every response: a
 * visible share of a GET's CPU (BENCHMARKS.md). A JSON body answered with 2xx to a request without
 * conditional headers, where nothing has set a Content-Type, is written directly with the same
 * headers Express would send; everything else (errors, 304s, streams, HEAD, other types) goes
 * Express's way unchanged.
 */
export class JsonExpressAdapter extends ExpressAdapter {
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
