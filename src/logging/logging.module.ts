import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createRootLogger, LogFormat, PinoLoggerService, ROOT_LOGGER } from './app-logger';

/** Structured JSON logs (pino): Nest's own messages through PinoLoggerService, and one line per request (requestLogger). */
@Global()
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [ConfigService],
      useFactory: (config: ConfigService) =>
        createRootLogger(
          config.get<string>('LOG_LEVEL') ?? 'info',
          config.get<LogFormat>('LOG_FORMAT') || (config.get('NODE_ENV') === 'development' ? 'pretty' : 'json'),
        ),
    },
    { provide: PinoLoggerService, inject: [ROOT_LOGGER], useFactory: (root: ReturnType<typeof createRootLogger>) => new PinoLoggerService(root) },
  ],
  exports: [ROOT_LOGGER, PinoLoggerService],
})
export class LoggingModule {}
