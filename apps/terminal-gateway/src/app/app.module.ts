import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { loggerParams } from '@smilepay/shared/observability';
import { LoggerModule } from 'nestjs-pino';
import { ApiClient } from './api-client/api-client.port';
import { HttpApiClient } from './api-client/http-api-client';
import { CheckoutSessions } from './checkout/checkout-sessions';
import { EVIDENCE_POLICY, evidencePolicyFrom } from './checkout/evidence-policy';
import { FrameAnalyzerLifecycle, frameAnalyzerProvider } from './checkout/frame-analyzer.provider';
import { BodyReaderMiddleware } from './checkout-http/body-reader.middleware';
import { CheckoutController } from './checkout-http/checkout.controller';
import { EnrollmentCaptureController } from './enrollment-http/enrollment-capture.controller';
import { HealthController } from './health/health.controller';
import { GATEWAY_CONFIG, GatewayConfigModule } from './config/config.module';
import type { Env, GatewayConfig } from './config/gateway-config';
import { StageStats } from './metrics/stage-stats';
import { StatsController } from './metrics/stats.controller';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { MetricsController } from './metrics/metrics.controller';
import { NonceRegistriesLifecycle, nonceRegistriesProvider } from './terminal-auth/nonce-registries.provider';
import { TerminalAuthService } from './terminal-auth/terminal-auth.service';
import { TerminalGateway } from './terminal-socket/terminal.gateway';
import { PinCheckoutController } from './pin-checkout/pin-checkout.controller';
import { PinCheckouts } from './pin-checkout/pin-checkouts';

/** Composition only: which implementation backs which port, built from the validated config. */
@Module({})
export class AppModule implements NestModule {
  static register(env: Env): DynamicModule {
    return {
      module: AppModule,
      imports: [
        GatewayConfigModule.register(env),
        LoggerModule.forRootAsync({
          inject: [GATEWAY_CONFIG],
          useFactory: (config: GatewayConfig) => loggerParams({ service: 'terminal-gateway', level: config.logLevel }),
        }),
        TerminusModule.forRoot({ errorLogStyle: 'pretty' }),
      ],
      controllers: [CheckoutController, PinCheckoutController, EnrollmentCaptureController, StatsController, HealthController, MetricsController],
      providers: [
        StageStats,
        GatewayMetrics,
        nonceRegistriesProvider,
        NonceRegistriesLifecycle,
        TerminalAuthService,
        CheckoutSessions,
        PinCheckouts,
        TerminalGateway,
        frameAnalyzerProvider,
        FrameAnalyzerLifecycle,
        { provide: EVIDENCE_POLICY, inject: [GATEWAY_CONFIG], useFactory: evidencePolicyFrom },
        { provide: ApiClient, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => new HttpApiClient(config.api) },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(BodyReaderMiddleware).forRoutes('*path');
  }
}
