import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { bindRiskDetector, RiskAlertsService, RiskDetector } from '@smilepay/risk/application';
import type { RiskRulesConfig } from '@smilepay/risk/domain';
import { riskConfig, RiskAlertsQueries } from '@smilepay/risk/infrastructure';
import type { EventStore } from '@smilepay/shared/eventstore';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import { EVENT_STORE, READ_MODELS, READ_MODELS_QUERY } from '../infrastructure/tokens';
import { AlertsController } from './alerts.controller';
import { AlertsLivePublisher } from './alerts-live.publisher';
import { riskCommandHandlers } from './risk.commands';

/**
 * Risk rules and the alert queue. The detector runs as a projection of the api's runner (durable checkpoint); it is
 * bound here to this instance's read-model database before the runner starts (see riskDetectorProjection).
 */
@Module({
  imports: [CqrsModule, ConfigModule.forFeature(riskConfig)],
  controllers: [AlertsController],
  providers: [
    { provide: RiskAlertsService, inject: [EVENT_STORE], useFactory: (store: EventStore) => new RiskAlertsService(store) },
    { provide: RiskAlertsQueries, inject: [READ_MODELS_QUERY], useFactory: (readModels: ReadModelDataSource) => new RiskAlertsQueries(readModels) },
    AlertsLivePublisher,
    ...riskCommandHandlers,
  ],
})
export class RiskModule implements OnModuleInit {
  constructor(
    private readonly alerts: RiskAlertsService,
    private readonly config: ConfigService,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDataSource,
  ) {}

  // onModuleInit runs before any onApplicationBootstrap, so the detector is bound before the runner starts. It is never
  // unbound: the runner stops after onModuleDestroy, and the binding goes with the DataSource.
  onModuleInit(): void {
    const rules = this.config.getOrThrow<RiskRulesConfig>('risk');
    bindRiskDetector(this.readModels, new RiskDetector(this.alerts, rules, new Logger('RiskDetector')));
  }
}
