import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { validateEnvironment } from './config/environment';
import { CustomersModule } from './customers/customers.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { HealthModule } from './health/health.module';
import { TiersModule } from './tiers/tiers.module';

export interface AppModuleOptions {
  /** The PostgreSQL to use: DATABASE_URL, or the embedded server main.ts started. */
  databaseUrl: string;
}

@Module({})
export class AppModule {
  static forRoot({ databaseUrl }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, validate: validateEnvironment }),
        TypeOrmModule.forRoot({ ...buildDataSourceOptions(databaseUrl), retryAttempts: 3, retryDelay: 1000 }),
        AuthModule,
        TiersModule,
        CustomersModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    };
  }
}
