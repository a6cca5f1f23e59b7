import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/**
 * Times every request; labels by the matched route pattern (not the raw URL, which would explode
 * cardinality). A plain Express middleware installed by configureApp rather than Nest's
 * `forRoutes('*path')`, whose wildcard layer matched the path and processed its parameter on every
 * request (BENCHMARKS.md, "What each layer costs now").
 */
export function requestMetrics(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.observe(request.method, route, response.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
