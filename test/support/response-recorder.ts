import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { OpenApiContract, RecordedResponse } from './openapi-contract';

let contract: Promise<OpenApiContract> | undefined;

/**
 * Records every response a test app sends (method, the route's OpenAPI path, status, content type,
 * body) so that, when the app closes, each one is checked against the committed openapi.json: the
 * whole e2e suite's traffic, good requests and bad, is a contract test.
 */
export class ResponseRecorder {
  private readonly recorded: RecordedResponse[] = [];

  install(app: NestExpressApplication): void {
    app.use((request: Request, response: Response, next: NextFunction) => {
      const chunks: Buffer[] = [];
      const keep = (chunk: unknown) => {
        if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
      };
      const write = response.write.bind(response) as (...args: unknown[]) => boolean;
      const end = response.end.bind(response) as (...args: unknown[]) => Response;
      response.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as Response['write'];
      response.end = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), end(chunk, ...rest))) as Response['end'];
      response.on('finish', () => {
        const route = (request.route as { path?: string } | undefined)?.path;
        if (!route || request.method === 'HEAD' || request.method === 'OPTIONS') return;
        const contentType = String(response.getHeader('content-type') ?? '');
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        if (/json/.test(contentType) && text) {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        this.recorded.push({ method: request.method, path: route.replace(/:([A-Za-z_]+)/g, '{$1}'), status: response.statusCode, contentType, body });
      });
      next();
    });
  }

  /** Every recorded response of a documented path that the document does not promise, one line each (deduplicated). */
  async problems(): Promise<string[]> {
    contract ??= OpenApiContract.load();
    const loaded = await contract;
    const found = new Set<string>();
    for (const response of this.recorded) {
      if (!loaded.documents(response.method, response.path)) continue;
      for (const problem of loaded.problems(response)) found.add(problem);
    }
    return [...found];
  }
}
