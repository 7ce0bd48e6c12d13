import { Controller, Get, Header, Inject, Req, UnauthorizedException } from '@nestjs/common';
import { metricsScrapeAllowed } from '@smilepay/shared/observability';
import type { Request } from 'express';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { GatewayMetrics } from './gateway-metrics';

/** Prometheus scrape endpoint; open unless METRICS_TOKEN is set, then `Authorization: Bearer <token>`. */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Req() req: Request): Promise<string> {
    if (!metricsScrapeAllowed(req.headers.authorization, this.config.metricsToken)) {
      throw new UnauthorizedException({ code: 'metrics_unauthorized', message: 'a valid metrics bearer token is required' });
    }
    req.res?.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
