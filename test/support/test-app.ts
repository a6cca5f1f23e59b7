import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { HotPathExpressAdapter } from '../../src/http/hot-path-express-adapter';
import { TEST_WEBHOOK_SECRETS_KEY } from './app-process';
import { ResponseRecorder } from './response-recorder';

export const WRITE_KEY = 'test-write-key-0123456789';
export const READ_KEY = 'test-read-key-0123456789';
export const TEST_ADMIN_API_KEYS = `e2e-writer:write:${WRITE_KEY},e2e-reader:read:${READ_KEY}`;

/** Every variable the app reads, reset for each app so one test file's settings never leak into the next. */
const TEST_ENVIRONMENT: Record<string, string> = {
  NODE_ENV: 'test',
  ADMIN_API_KEYS: TEST_ADMIN_API_KEYS,
  LOG_LEVEL: 'silent',
  THROTTLE_LIMIT: '100000',
  AUTH_FAILURE_LIMIT: '100000',
  AUTH_FAILURE_WINDOW_SECONDS: '60',
  TRUST_PROXY: '',
  THROTTLE_TTL_SECONDS: '60',
  REDIS_URL: '',
  CORS_ORIGINS: '',
  METRICS_ENABLED: 'true',
  DB_POOL_SIZE: '20',
  // Receivers in tests listen on 127.0.0.1; tests of the refusal set this to false.
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  WEBHOOK_ALLOW_HTTP: '',
  WEBHOOK_DELIVERY_ENABLED: '',
  WEBHOOK_RETRY_SCHEDULE: '',
  WEBHOOK_TIMEOUT_MS: '',
  WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: '',
  WEBHOOK_POLL_INTERVAL_MS: '',
  WEBHOOK_CONCURRENCY: '',
  WEBHOOK_SECRETS_ENCRYPTION_KEYS: TEST_WEBHOOK_SECRETS_KEY,
  CUSTOMER_ERASE_ARCHIVED_AFTER_DAYS: '',
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  OTEL_SERVICE_NAME: '',
};

export interface TestApp {
  app: INestApplication;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The real application on the suite's PostgreSQL database, configured exactly as main.ts does. */
export async function createTestApp(env: Record<string, string> = {}, databaseUrl = process.env.DATABASE_URL!): Promise<TestApp> {
  Object.assign(process.env, TEST_ENVIRONMENT, env);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ databaseUrl })],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>(new HotPathExpressAdapter(), { bodyParser: false, bufferLogs: true });
  const recorder = new ResponseRecorder();
  recorder.install(app);
  configureApp(app);
  await app.init();
  return {
    app,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      // Every answer this app gave must be one the OpenAPI document promises.
      const problems = await recorder.problems();
      if (problems.length > 0) throw new Error(`Responses the OpenAPI document does not promise:\n${problems.join('\n')}`);
    },
  };
}
