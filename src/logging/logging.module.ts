import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import type { IdentifiedRequest } from '../common/request-context';
import { redactUrl } from './redact-url';

type LoggedRequest = IncomingMessage & AuthenticatedRequest & IdentifiedRequest;

/**
 * Structured JSON logs: one line per request with method, route, status, duration, request id and
 * actor. Request headers are never serialised; the secret-bearing ones are redacted besides, and so
 * are credential-like query parameters in the URL.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        pinoHttp: {
          level: config.get<string>('LOG_LEVEL'),
          genReqId: (request: IncomingMessage) => (request as LoggedRequest).id ?? randomUUID(),
          // pino-http asks at the start and at the end of a request; the route and actor are known only
          // at the end, and answering both times would repeat the keys in the line.
          customProps: (request: IncomingMessage, response: ServerResponse) => {
            if (!response.headersSent) return {};
            const logged = request as LoggedRequest;
            return { requestId: logged.id, actor: logged.adminKey?.name, route: (logged.route as { path?: string } | undefined)?.path };
          },
          serializers: {
            req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: redactUrl(request.url) }),
            res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
          },
          redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
          customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
            error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
          quietReqLogger: true,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
