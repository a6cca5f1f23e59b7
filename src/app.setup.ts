import { DEEP_OBJECT_QUERY_PARAMETERS } from './customers/dto/list-customers-query.dto';
import { queryParser } from './http/query-parser';
import { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import helmet from 'helmet';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER } from './auth/api-key.guard';
import { API_KEY_SECURITY_SCHEME } from './auth/admin-auth.decorator';
import { answerClientErrorsAsProblems } from './http/client-errors';
import { KnownRoutes } from './http/known-routes';
import { createValidationPipe } from './http/validation';
import { PinoLoggerService, ROOT_LOGGER } from './logging/app-logger';
import { requestLogger } from './logging/request-log.middleware';
import { requestMetrics } from './metrics/metrics.middleware';
import { MetricsService } from './metrics/metrics.service';
import type { EnvironmentVariables } from './config/environment';
import { TIER_POLICY } from './tiers/tier-policy.service';
import { foldCommonProblemResponses } from './http/common-problem-responses';
import { describeWebhookDeliveries } from './webhooks/webhook-openapi';
import { PACKAGE_VERSION } from './config/package-version';

/** Everything main.ts and the e2e tests share: headers, CORS, request ids and logs, request metrics, validation, Swagger (bodies are read by RequestBodyGuard). */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.disable('x-powered-by');
  // The client address (failed-authentication limiting, request logs) is X-Forwarded-For's only from trusted proxies.
  const config = app.get<ConfigService<EnvironmentVariables, true>>(ConfigService);
  app.set('trust proxy', config.get('TRUST_PROXY', { infer: true }));
  app.useLogger(app.get(PinoLoggerService));
  app.use(
    helmet({
      // Swagger UI at /docs needs its inline styles and data: images; everything else stays strict.
      // No upgrade-insecure-requests: behind plain HTTP (a local run) it would send Try it out to https.
      contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null } },
    }),
  );
  const corsOrigins = config.get('CORS_ORIGINS', { infer: true });
  if (corsOrigins) {
    const origins = corsOrigins.split(',').map((origin) => origin.trim());
    app.enableCors({ origin: origins.includes('*') ? '*' : origins, exposedHeaders: ['ETag', 'x-request-id', 'Retry-After', 'Idempotent-Replayed'] });
  }
  // Customer responses carry version-based ETags; Express's body-hash ETags would contradict them.
  app.set('etag', false);
  app.set('query parser', queryParser(DEEP_OBJECT_QUERY_PARAMETERS));
  app.use(requestLogger(app.get(ROOT_LOGGER)));
  app.use(requestMetrics(app.get(MetricsService)));
  app.useGlobalPipes(createValidationPipe());
  answerClientErrorsAsProblems(app.getHttpServer());
  setupSwagger(app);
  return app;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Customer Admin API')
    .setDescription(
      [
        'Admin backend for customer accounts: who the customer is, their pricing tier, status, contract dates, and the commitments, quotas and rate limits that follow from the tier.',
        '',
        'Every endpoint except `/health` and `/docs` needs an admin key in the `x-api-key` header: use **Authorize**.',
        '',
        '### Tier policy',
        TIER_POLICY.markdownTable(),
        '',
        '### Errors',
        'Every 4xx and 5xx is RFC 9457 problem details (`application/problem+json`): `type`, `title`, `status`, `detail`, `instance`, and `errors`, a list of `{ field, message }` naming every bad field at once. ' +
          'Each `type` is a page of this server ([/problems](/problems)) saying what the problem means and how to fix it.',
        '',
        '### Webhooks',
        'Systems that act on changes (a gateway enforcing rate limits, billing) register a webhook endpoint: every committed customer event (`customer.created`, `customer.updated`, `customer.archived`, `customer.restored`, `customer.erased`) is POSTed to it, ' +
          'signed per [Standard Webhooks](https://www.standardwebhooks.com/), at least once and in order per customer. See the webhooks operations below.',
      ].join('\n'),
    )
    .setVersion(PACKAGE_VERSION)
    .addTag('customers', 'Customer accounts: create, read, list, update (the reference PUT), archive, restore, erase, and each customer’s audit trail')
    .addTag('scheduled changes', 'Customer changes that take effect at a later time (a downgrade when the contract ends): schedule, list, cancel')
    .addTag('events', 'Every published customer event in commit order, for systems catching up')
    .addTag('webhooks', 'Endpoints that receive customer events, signed per Standard Webhooks; their delivery log, retries and replays')
    .addTag('tiers', 'The pricing tiers and what each entitles a customer to')
    .addTag('health', 'Liveness and readiness, without a key')
    .addTag('operations', 'Prometheus metrics')
    // Relative: Swagger UI's Try it out calls whatever host and port served the page.
    .addServer('/', 'This server')
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: API_KEY_HEADER,
        description:
          'An admin API key. Running locally with no ADMIN_API_KEYS, `npm start` prints a development key and `npm run keys -- dev-key` shows it again; ' +
          'otherwise use a key from ADMIN_API_KEYS or one made with `npm run keys -- create --name NAME --scope read|write`.',
      },
      API_KEY_SECURITY_SCHEME,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controllerKey, methodKey) => methodKey,
  });
  // The repository's LICENSE (MIT).
  document.info.license = { name: 'MIT' };
  foldCommonProblemResponses(document);
  describeWebhookDeliveries(document);
  return document;
}

function setupSwagger(app: INestApplication): void {
  app.get(KnownRoutes).learnFrom(() => buildOpenApiDocument(app).paths);
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Customer Admin API',
    swaggerOptions: {
      persistAuthorization: true,
      displayRequestDuration: true,
      tryItOutEnabled: false,
      defaultModelExpandDepth: 3,
      defaultModelsExpandDepth: 1,
      // Swagger UI otherwise shows swagger.io's online validator badge on any host but localhost, sending
      // the document's URL to validator.swagger.io: an admin API's docs page calls nothing elsewhere.
      validatorUrl: 'none',
    },
  });
}
