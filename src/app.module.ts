import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AuthModule } from './auth/auth.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { DEVELOPMENT_KEY_PATH } from './auth/development-key';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { RequestBodyGuard } from './http/request-body.guard';
import { KnownRoutes } from './http/known-routes';
import { validateEnvironment } from './config/environment';
import { CustomersModule } from './customers/customers.module';
import { SEED_REFERENCE_CUSTOMER } from './customers/reference-customer.seeder';
import { buildDataSourceOptions } from './database/data-source-options';
import { keepConnectionErrorsFromCrashing } from './database/database-errors';
import { typeormPool } from './database/typeorm-pool';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProblemsModule } from './problems/problems.module';
import { REDIS_CLIENT, RedisModule } from './redis/redis.module';
import { AdminThrottlerGuard } from './throttling/admin-throttler.guard';
import { FixedWindowThrottlerStorage } from './throttling/fixed-window-storage';
import { ResilientRedisThrottlerStorage } from './throttling/resilient-redis-storage';
import { TiersModule } from './tiers/tiers.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WEBHOOK_SECRETS_KEY_PATH } from './webhooks/webhook-secret-keys';
import type { EnvironmentVariables } from './config/environment';

export interface AppModuleOptions {
  /** The PostgreSQL to use: DATABASE_URL, or the embedded server main.ts started. */
  databaseUrl: string;
  /** Seed the reference customer into an empty database (the embedded default). */
  seedReferenceCustomer?: boolean;
  /** Where the development admin key is kept (the embedded data directory); unset: one per run. */
  developmentKeyPath?: string;
  /** Where a development key for webhook secrets is kept when WEBHOOK_SECRETS_ENCRYPTION_KEYS is unset outside production. */
  webhookSecretsKeyPath?: string;
}

@Module({})
export class AppModule {
  static forRoot({ databaseUrl, seedReferenceCustomer = false, developmentKeyPath, webhookSecretsKeyPath }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment }),
        LoggingModule,
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<EnvironmentVariables, true>) => ({
            ...buildDataSourceOptions(databaseUrl, {
              size: config.get('DB_POOL_SIZE', { infer: true }),
              lockTimeoutMs: config.get('DB_LOCK_TIMEOUT_MS', { infer: true }),
            }),
            entities: [],
            autoLoadEntities: true,
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            keepConnectionErrorsFromCrashing(typeormPool(dataSource));
            return dataSource;
          },
        }),
        RedisModule,
        ThrottlerModule.forRootAsync({
          inject: [ConfigService, REDIS_CLIENT],
          useFactory: (config: ConfigService<EnvironmentVariables, true>, redis: Redis | null) => ({
            throttlers: [{ ttl: config.get('THROTTLE_TTL_SECONDS', { infer: true }) * 1000, limit: config.get('THROTTLE_LIMIT', { infer: true }) }],
            storage: redis ? new ResilientRedisThrottlerStorage(redis) : new FixedWindowThrottlerStorage(),
          }),
        }),
        AuthModule,
        TiersModule,
        CustomersModule,
        WebhooksModule,
        HealthModule,
        MetricsModule,
        ProblemsModule,
      ],
      providers: [
        { provide: SEED_REFERENCE_CUSTOMER, useValue: seedReferenceCustomer },
        { provide: DEVELOPMENT_KEY_PATH, useValue: developmentKeyPath },
        { provide: WEBHOOK_SECRETS_KEY_PATH, useValue: webhookSecretsKeyPath },
        KnownRoutes,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        // Order matters: authenticate first, so the throttler counts per admin key.
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: AdminThrottlerGuard },
        // Last: bodies are read only for authenticated, unthrottled requests.
        { provide: APP_GUARD, useClass: RequestBodyGuard },
      ],
      exports: [SEED_REFERENCE_CUSTOMER, DEVELOPMENT_KEY_PATH, WEBHOOK_SECRETS_KEY_PATH],
    };
  }
}
