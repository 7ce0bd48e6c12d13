import { Module, ValidationPipe } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ClaimsModule } from './claims/claims.module';
import { ClusterModule } from './cluster/cluster.module';
import { CustomersModule } from './customers/customers.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { LedgerModule } from './ledger/ledger.module';
import { LiveModule } from './live/live.module';
import { PaymentsModule } from './payments/payments.module';
import { RiskModule } from './risk/risk.module';
import { apiConfig } from './config/api-config';
import { ErrorFilter } from './http/domain-error.filter';
import { ObservabilityModule } from './observability/observability.module';

/** Unknown fields are refused, not silently dropped: a typo in a payment request must not pass. */
const validation = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false });

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [apiConfig] }),
    CqrsModule.forRoot(),
    AuthModule,
    ClusterModule,
    InfrastructureModule,
    LiveModule,
    LedgerModule,
    AuditModule,
    CustomersModule,
    PaymentsModule,
    ClaimsModule,
    RiskModule,
    ObservabilityModule,
  ],
  providers: [
    { provide: APP_PIPE, useValue: validation },
    { provide: APP_FILTER, useClass: ErrorFilter },
  ],
})
export class AppModule {}
