import { Injectable } from '@nestjs/common';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

type OpenApiPaths = Record<string, Partial<Record<(typeof HTTP_METHODS)[number], unknown>>>;

/**
 * The API's paths and the methods each answers, learnt from the OpenAPI document, so a request with
 * another method on a known path is answered 405 with `Allow` instead of a 404 that reads as "no such
 * customer". Consulted only for requests no route matched; the document is read then, the first time,
 * not at start-up.
 */
@Injectable()
export class KnownRoutes {
  private paths?: () => OpenApiPaths;
  private routes?: { pattern: RegExp; methods: string[] }[];

  learnFrom(paths: () => OpenApiPaths): void {
    this.paths = paths;
    this.routes = undefined;
  }

  private compile(paths: OpenApiPaths): { pattern: RegExp; methods: string[] }[] {
    return Object.entries(paths).map(([path, item]) => {
      const methods = HTTP_METHODS.filter((method) => item[method] !== undefined).map((method) => method.toUpperCase());
      // Express answers HEAD wherever it answers GET.
      if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD');
      const source = path
        .split(/\{[^/}]+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      return { pattern: new RegExp(`^${source}/?$`), methods: methods.sort() };
    });
  }

  /** The methods a known path answers, or undefined for a path the API does not have. */
  allowedMethods(path: string): string[] | undefined {
    this.routes ??= this.paths ? this.compile(this.paths()) : [];
    return this.routes.find((route) => route.pattern.test(path))?.methods;
  }
}
