import { Controller, Get, HttpStatus, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type Redis from 'ioredis';
import { Public } from '../auth/api-key.guard';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { ProblemException } from '../common/problem.exception';
import { REDIS_CLIENT } from '../redis/redis.module';

const CHECK_TIMEOUT_MS = 1500;
const HEALTHY_EXAMPLE = { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } };

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
  ) {}

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
    description: 'No authentication. 200 when the database (and Redis, when REDIS_URL is set) answers within 1.5 s; 503 problem details naming what is down otherwise.',
  })
  @ApiOkResponse({ description: 'Ready to serve.', schema: { example: HEALTHY_EXAMPLE } })
  @ApiProblemResponses(503)
  async ready(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS })];
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

  private async redisCheck(redis: Redis) {
    const indicator = this.indicators.check('redis');
    try {
      await Promise.race([redis.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS))]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
