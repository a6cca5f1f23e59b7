import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';

export const WRITE_KEY = 'test-write-key-0123456789';
export const READ_KEY = 'test-read-key-0123456789';
export const TEST_ADMIN_API_KEYS = `e2e-writer:write:${WRITE_KEY},e2e-reader:read:${READ_KEY}`;

export interface TestApp {
  app: INestApplication;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The real application on the suite's PostgreSQL database, configured exactly as main.ts does. */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  Object.assign(process.env, { ADMIN_API_KEYS: TEST_ADMIN_API_KEYS, NODE_ENV: 'test' }, env);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ databaseUrl: process.env.DATABASE_URL! })],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  return {
    app,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    http: () => request(app.getHttpServer()),
    close: () => app.close(),
  };
}
