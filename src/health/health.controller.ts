import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/api-key.guard';
import { ApiProblemResponses } from '../common/api-problem-responses.decorator';
import { ProblemException } from '../common/problem.exception';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ operationId: 'getHealth', summary: 'Health', description: 'No authentication. 200 when the database answers, 503 otherwise.' })
  @ApiOkResponse({ description: 'The service and its database are up.', schema: { example: { status: 'ok', info: { database: { status: 'up' } } } } })
  @ApiProblemResponses(503)
  async check(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.database.pingCheck('database', { timeout: 1500 })]);
    } catch {
      throw new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, 'The database is not reachable.', [], undefined, { 'Retry-After': '5' });
    }
  }
}
