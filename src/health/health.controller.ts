import { Controller, Get, HttpStatus, Inject, OnModuleDestroy } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { SkipThrottle } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { Public } from '../auth/api-key.guard';
import { ApiProblemResponses } from '../http/api-problem-responses.decorator';
import { ProblemException } from '../http/problem.exception';
import { DATABASE_APPLICATION_NAME } from '../database/data-source-options';
import { keepConnectionErrorsFromCrashing } from '../database/database-errors';
import { REDIS_CLIENT } from '../redis/redis.module';

export const CHECK_TIMEOUT_MS = 1500;
const HEALTHY_EXAMPLE = { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } };

@ApiTags('health')
@Public()
@ApiProblemResponses(431, 500)
@SkipThrottle()
@Controller('health')
export class HealthController implements OnModuleDestroy {
  /**
   * Readiness pings on a connection of its own, so a pool busy with waiting writers is not reported
   * as a database outage: only a database that does not answer makes the instance unready.
   */
  private probe?: Pool;

  constructor(
    private readonly health: HealthCheckService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

  async onModuleDestroy(): Promise<void> {
    await this.probe?.end();
  }

  private probePool(): Pool {
    if (!this.probe) {
      const url = (this.dataSource.options as { url: string }).url;
      this.probe = new Pool({
        connectionString: url,
        max: 1,
        connectionTimeoutMillis: CHECK_TIMEOUT_MS,
        idleTimeoutMillis: 60_000,
        application_name: `${DATABASE_APPLICATION_NAME} readiness`,
      });
      this.probe.on('error', () => undefined); // a dropped idle probe connection is replaced on the next check
      keepConnectionErrorsFromCrashing(this.probe);
    }
    return this.probe;
  }

  @Get()
  @ApiOperation({ operationId: 'getHealth', summary: 'Health', description: 'No authentication. The same as /health/ready.' })
  @ApiOkResponse({ description: 'Ready to serve.', schema: { example: HEALTHY_EXAMPLE } })
  @ApiProblemResponses(503)
  check(): Promise<HealthCheckResult> {
    return this.ready();
  }

  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness', description: 'No authentication. 200 while the process serves HTTP; checks no dependency.' })
  @ApiOkResponse({ description: 'The process is alive.', schema: { example: { status: 'ok', info: {}, error: {}, details: {} } } })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness',
    description: `No authentication. 200 when the database (and Redis, when REDIS_URL is set) answers within ${CHECK_TIMEOUT_MS / 1000} s on a connection of its own (a busy pool is not an outage); 503 problem details naming what is down otherwise.`,
  })
  @ApiOkResponse({ description: 'Ready to serve.', schema: { example: HEALTHY_EXAMPLE } })
  @ApiProblemResponses(503)
  async ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.databaseCheck()];
    if (this.redis) checks.push(() => this.redisCheck(this.redis!));
    try {
      return await this.health.check(checks);
    } catch (error) {
      const report = (error as { response?: HealthCheckResult }).response;
      const down = Object.keys(report?.error ?? {});
      // The problem filter adds Retry-After to every 503.
      throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, `Not ready: ${down.join(', ') || 'a dependency'} unreachable.`);
    }
  }

  private async databaseCheck() {
    const indicator = this.indicators.check('database');
    try {
      await withTimeout(this.probePool().query('SELECT 1'), CHECK_TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  private async redisCheck(redis: Redis) {
    const indicator = this.indicators.check('redis');
    try {
      await withTimeout(redis.ping(), CHECK_TIMEOUT_MS);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
