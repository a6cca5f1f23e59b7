import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { AdminAuth } from '../auth/admin-auth.decorator';
import { MetricsService } from './metrics.service';
import type { EnvironmentVariables } from '../config/environment';

@ApiTags('operations')
@AdminAuth()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: ConfigService<EnvironmentVariables, true>,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    operationId: 'getMetrics',
    summary: 'Prometheus Metrics',
    description:
      'Request counts and latency histograms per route, and process metrics, in the Prometheus text format. Any admin key (read scope is enough). Off when METRICS_ENABLED=false.',
  })
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example:
          '# HELP http_requests_total HTTP requests by method, route and status\n# TYPE http_requests_total counter\nhttp_requests_total{method="GET",route="/admin/tiers",status="200"} 3\n',
      },
    },
  })
  async scrape(): Promise<string> {
    if (!this.config.get('METRICS_ENABLED', { infer: true })) throw new NotFoundException('Metrics are disabled (METRICS_ENABLED=false).');
    return this.metrics.registry.metrics();
  }
}
