import { Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { loggerParams } from '@smilepay/shared/observability';
import { LoggerModule } from 'nestjs-pino';
import type { ApiConfig } from '../config/api-config';
import { ApiMetrics } from './api-metrics';
import { DecisionLatencyMiddleware } from './decision-latency.middleware';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** Structured redacted logs (nestjs-pino), liveness and readiness probes (terminus) and Prometheus metrics. */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => loggerParams({ service: 'api', level: config.getOrThrow<ApiConfig>('api').logLevel }),
    }),
    TerminusModule.forRoot({ errorLogStyle: 'pretty' }),
    DiscoveryModule,
  ],
  controllers: [HealthController, MetricsController],
  providers: [ApiMetrics],
  exports: [ApiMetrics],
})
export class ObservabilityModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(DecisionLatencyMiddleware).forRoutes('internal/v1/checkouts/*path');
  }
}
