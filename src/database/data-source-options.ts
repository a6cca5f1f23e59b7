import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { configurePgTypes } from './pg-types';

/** Every entity, for the TypeORM CLI and migrations; the application registers each with its own feature module instead. */
export const ENTITY_FILES = join(__dirname, '..', '**', '*.entity.{ts,js}');

export const DATABASE_APPLICATION_NAME = 'customer-admin-api';

export interface PoolOptions {
  size: number;
  /** How long a statement waits for a row lock before failing with 55P03 (answered 429). */
  lockTimeoutMs: number;
}

/** One set of options for the application and the TypeORM CLI (ormconfig.ts). */
export function buildDataSourceOptions(url: string, { size, lockTimeoutMs }: PoolOptions): DataSourceOptions {
  configurePgTypes();
  return {
    type: 'postgres',
    url,
    entities: [ENTITY_FILES],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsRun: true,
    migrationsTableName: 'migrations',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install, no superuser needed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    // A short connect timeout: with the database down, requests fail fast with 503 instead of hanging.
    // Sessions in UTC, the API's zone: timestamptz values arrive in the form pg-types.ts reads fastest.
    extra: {
      max: size,
      connectionTimeoutMillis: 2000,
      application_name: DATABASE_APPLICATION_NAME,
      options: `-c lock_timeout=${lockTimeoutMs} -c TimeZone=UTC`,
    },
  };
}
