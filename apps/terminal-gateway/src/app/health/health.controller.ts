import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { FrameAnalyzer } from '../checkout/frame-analyzer.port';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';

/** The api probe must answer well inside a load balancer's own probe timeout. */
const API_PROBE_TIMEOUT_MS = 2_000;

/**
 * Liveness: the process answers (a supervisor restarts it otherwise); it checks nothing outside the process, so a
 * sick dependency never causes a restart loop. Readiness: the analysis threads hold their models and the api is
 * reachable. Without the api every checkout fails after the liveness step, so a load balancer should send
 * terminals to a gateway that can reach one.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly analyzer: FrameAnalyzer,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.models(), () => this.api()]);
  }

  private models() {
    const check = this.indicators.check('models');
    const { ready, threads } = this.analyzer.readiness();
    return ready ? check.up({ threads }) : check.down({ threads, message: 'no analysis thread holds the models' });
  }

  private async api() {
    const check = this.indicators.check('api');
    const timeoutMs = Math.min(this.config.api.timeoutMs, API_PROBE_TIMEOUT_MS);
    try {
      const response = await fetch(`${this.config.api.url}/health/live`, { signal: AbortSignal.timeout(timeoutMs) });
      return response.ok ? check.up() : check.down({ message: `the api answered ${response.status}` });
    } catch (error) {
      return check.down({ message: `the api is unreachable: ${(error as Error).name}` });
    }
  }
}
