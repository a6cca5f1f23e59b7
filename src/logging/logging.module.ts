import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createRootLogger, PinoLoggerService, ROOT_LOGGER } from './app-logger';
import type { EnvironmentVariables } from '../config/environment';

/** Structured JSON logs (pino): Nest's own messages through PinoLoggerService, and one line per request (requestLogger). */
@Global()
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [ConfigService],
      useFactory: (config: ConfigService<EnvironmentVariables, true>) =>
        createRootLogger(config.get('LOG_LEVEL', { infer: true }), config.get('LOG_FORMAT', { infer: true })),
    },
    { provide: PinoLoggerService, inject: [ROOT_LOGGER], useFactory: (root: ReturnType<typeof createRootLogger>) => new PinoLoggerService(root) },
  ],
  exports: [ROOT_LOGGER, PinoLoggerService],
})
export class LoggingModule {}
