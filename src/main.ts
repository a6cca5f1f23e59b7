import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AdminKeysService } from './auth/admin-keys.service';
import { EnvironmentVariables, validateEnvironment } from './config/environment';
import { EmbeddedPostgres, removeTemporaryParent } from './database/embedded-postgres';

const SHUTDOWN_TIMEOUT_MS = 10_000;
const logger = new Logger('Bootstrap');

async function bootstrap(): Promise<void> {
  const startedAt = Date.now();
  let environment: EnvironmentVariables;
  try {
    environment = validateEnvironment(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }

  let embedded: EmbeddedPostgres | undefined;
  let app: NestExpressApplication | undefined;
  try {
    let databaseUrl = environment.DATABASE_URL;
    if (!databaseUrl) {
      embedded = new EmbeddedPostgres({ dataDir: environment.EMBEDDED_DB_DIR });
      databaseUrl = await embedded.start();
    }
    // Logs are buffered until configureApp installs the JSON (pino) logger.
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ databaseUrl, seedReferenceCustomer: embedded !== undefined }), { bodyParser: false, bufferLogs: true });
    configureApp(app);
    if (embedded) {
      logger.log(`Embedded PostgreSQL running, data in ${embedded.dataDir}${embedded.temporary ? ' (temporary: deleted on exit)' : ''}`);
    }
    await app.listen(environment.PORT);
  } catch (error) {
    const reason =
      (error as { code?: string }).code === 'EADDRINUSE'
        ? `PORT ${environment.PORT} is already in use: stop what listens there or set PORT to a free port`
        : (error as Error).message;
    console.error(`Start-up failed: ${reason}`);
    await app?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    if (embedded) await removeTemporaryParent(embedded);
    process.exit(1);
  }

  const generatedSecret = app.get(AdminKeysService).generatedSecret;
  if (generatedSecret) {
    logger.warn(`No ADMIN_API_KEYS set: this run's admin key is ${generatedSecret} (send it as x-api-key; set ADMIN_API_KEYS to choose your own)`);
  }
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  logger.log(`Customer Admin API ready in ${Date.now() - startedAt} ms on ${url} (Swagger UI: ${url}/docs)`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing in-flight requests and shutting down`);
    const forceExit = setTimeout(() => {
      logger.error(`Shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    forceExit.unref();
    // close() stops accepting and waits for in-flight requests; keep-alive sockets that fall idle
    // afterwards would hold it for the keep-alive timeout, so they are closed as they become idle.
    const server = app!.getHttpServer() as Server;
    const closeIdle = setInterval(() => server.closeIdleConnections(), 100);
    await app!.close();
    clearInterval(closeIdle);
    await embedded?.stop();
    if (embedded) await removeTemporaryParent(embedded);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void bootstrap();
