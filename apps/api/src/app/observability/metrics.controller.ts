import { Controller, Get, Header, Inject, Req, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { metricsScrapeAllowed } from '@smilepay/shared/observability';
import type { Request } from 'express';
import { Public } from '../auth/roles';
import type { ApiConfig } from '../config/api-config';
import { ApiMetrics } from './api-metrics';

/**
 * Prometheus scrape endpoint. Open unless METRICS_TOKEN is set, then `Authorization: Bearer <token>` (Prometheus'
 * `authorization.credentials`). It is not behind the dashboard's login: a scraper is not a user with a role.
 */
@Controller('metrics')
@Public()
export class MetricsController {
  private readonly token: string | undefined;

  constructor(
    private readonly metrics: ApiMetrics,
    @Inject(ConfigService) config: ConfigService,
  ) {
    this.token = config.getOrThrow<ApiConfig>('api').metricsToken;
  }

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Req() req: Request): Promise<string> {
    if (!metricsScrapeAllowed(req.headers.authorization, this.token)) {
      throw new UnauthorizedException({ code: 'metrics_unauthorized', message: 'a valid metrics bearer token is required' });
    }
    req.res?.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
