import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { AdminApiKey } from '../auth/admin-api-key.entity';
import { Customer } from '../customers/customer.entity';
import { CustomerEvent } from '../customers/events/customer-event.entity';
import { EventRelayState, PublishedCustomerEvent } from '../customers/events/event-relay.entity';
import { IdempotencyKey } from '../idempotency/idempotency-key.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity';
import { configurePgTypes } from './pg-types';

export const DATABASE_ENTITIES = [
  Customer,
  CustomerEvent,
  EventRelayState,
  PublishedCustomerEvent,
  IdempotencyKey,
  AdminApiKey,
  WebhookEndpoint,
  WebhookDelivery,
];

export const DATABASE_APPLICATION_NAME = 'customer-admin-api';

export interface PoolOptions {
  size?: number;
  /** How long a statement waits for a row lock before failing with 55P03 (answered 429). */
  lockTimeoutMs?: number;
}

/** One set of options for the application and the TypeORM CLI (ormconfig.ts). */
export function buildDataSourceOptions(url: string, { size = 20, lockTimeoutMs = 5000 }: PoolOptions = {}): DataSourceOptions {
  configurePgTypes();
  return {
    type: 'postgres',
    url,
    entities: DATABASE_ENTITIES,
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
