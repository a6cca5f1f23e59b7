// First: tracing, when configured, must instrument http, Express and pg before they are loaded.
import './tracing/register';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { developmentSecretsKeyPath } from './webhooks/webhook-secret-keys';
import { configureApp } from './app.setup';
import { HotPathExpressAdapter } from './http/hot-path-express-adapter';
import { AdminKeysService } from './auth/admin-keys.service';
import { loadDotEnv } from './config/dot-env';
import { EnvironmentVariables, validateEnvironment } from './config/environment';
import { developmentKeyPath } from './auth/development-key';
import { flushLogs } from './logging/app-logger';
import { stopTracing } from './tracing/tracing';
import { EmbeddedPostgres, removeTemporaryParent } from './database/embedded-postgres';
import { startupFailure } from './startup-failure';

const SHUTDOWN_TIMEOUT_MS = 10_000;
const logger = new Logger('Bootstrap');

async function bootstrap(): Promise<void> {
  const startedAt = Date.now();
  let environment: EnvironmentVariables;
  try {
    loadDotEnv();
    environment = validateEnvironment(process.env);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }

  // Signals are heard from the first moment. Killed by a signal's default action while starting,
  // the process would leave its embedded PostgreSQL running and holding the data directory (the
  // next start then fails); a signal that arrives while starting is acted on once start-up is done,
  // and a second one exits at once (the embedded server is still stopped, by its exit hook).
  let shutdown: ((signal: string) => Promise<void>) | undefined;
  let signalledWhileStarting: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (shutdown) return void shutdown(signal);
    if (signalledWhileStarting) {
      flushLogs();
      process.exit(1);
    }
    signalledWhileStarting = signal;
    console.error(`${signal} received while starting: shutting down as soon as start-up is done (again to exit at once)`);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  let embedded: EmbeddedPostgres | undefined;
  let app: NestExpressApplication | undefined;
  /** Whether start-up got as far as listening: the same error codes mean the database before it, HOST and PORT then. */
  let listening = false;
  try {
    let databaseUrl = environment.DATABASE_URL;
    if (!databaseUrl) {
      embedded = new EmbeddedPostgres({ dataDir: environment.EMBEDDED_DB_DIR });
      databaseUrl = await embedded.start();
    }
    // Logs are buffered until configureApp installs the JSON (pino) logger.
    const options = {
      databaseUrl,
      seedReferenceCustomer: embedded !== undefined,
      developmentKeyPath: embedded ? developmentKeyPath(embedded.dataDir) : undefined,
      webhookSecretsKeyPath: developmentSecretsKeyPath(environment.EMBEDDED_DB_DIR, embedded?.dataDir),
    };
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), new HotPathExpressAdapter(), {
      bodyParser: false,
      bufferLogs: true,
      // A failure while starting reaches the catch below (one clear line, exit 1) instead of Nest's own exit.
      abortOnError: false,
    });
    configureApp(app);
    if (embedded) {
      logger.log(
        `Database: embedded PostgreSQL at ${maskPassword(databaseUrl)}, data in ${embedded.dataDir}${embedded.temporary ? ' (temporary: deleted on exit)' : ''}; \`npm run db:url\` prints the full URL`,
      );
    }
    listening = true;
    if (environment.HOST === undefined) await app.listen(environment.PORT);
    else await app.listen(environment.PORT, environment.HOST);
  } catch (error) {
    // Set first: if a clean-up step below never settles (embedded-postgres's stop() after a failed
    // start does not), the event loop drains and Node exits with this code instead of 0.
    process.exitCode = 1;
    console.error(`Start-up failed: ${startupFailure(error as Error & { code?: string }, listening, environment)}`);
    await withinCleanupTime(app?.close());
    await withinCleanupTime(embedded?.stop());
    if (embedded) await withinCleanupTime(removeTemporaryParent(embedded));
    flushLogs();
    process.exit(1);
  }

  const developmentKey = app.get(AdminKeysService).developmentKey;
  if (developmentKey?.created) {
    const kept = developmentKey.path ? `kept in ${developmentKey.path} for later runs; \`npm run keys -- dev-key\` shows it again` : 'a new one each run';
    logger.warn(`No ADMIN_API_KEYS set: the development admin key is ${developmentKey.secret} (send it as x-api-key; ${kept})`);
  } else if (developmentKey) {
    logger.log(
      `No ADMIN_API_KEYS set: using the development admin key ${developmentKey.secret.slice(0, 8)}… from ${developmentKey.path} (\`npm run keys -- dev-key\` shows it)`,
    );
  }
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');

  let stopping = false;
  shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: finishing in-flight requests and shutting down`);
    const forceExit = setTimeout(() => {
      logger.error(`Shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms; exiting`);
      flushLogs();
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    forceExit.unref();
    // close() stops accepting and waits for in-flight requests; keep-alive sockets that fall idle
    // afterwards would hold it for the keep-alive timeout, so they are closed as they become idle.
    const server = app.getHttpServer();
    const closeIdle = setInterval(() => server.closeIdleConnections(), 100);
    await app.close();
    clearInterval(closeIdle);
    await stopTracing().catch((error: Error) => logger.warn(`Buffered spans not sent: ${error.message}`));
    await embedded?.stop();
    if (embedded) await removeTemporaryParent(embedded);
    flushLogs();
    process.exit(0);
  };
  if (signalledWhileStarting) return void shutdown(signalledWhileStarting);
  logger.log(`Customer Admin API ready in ${Date.now() - startedAt} ms on ${url} (Swagger UI: ${url}/docs)`);
}

void bootstrap().catch((error: unknown) => {
  console.error(`Start-up failed: ${error instanceof Error ? error.message : String(error)}`);
  flushLogs();
  process.exit(1);
});

/** A clean-up step after a failed start gets a few seconds; its failure does not matter any more. */
function withinCleanupTime(step: Promise<unknown> | undefined): Promise<unknown> {
  if (!step) return Promise.resolve();
  return Promise.race([step.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
}

function maskPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '****';
  return parsed.toString();
}
