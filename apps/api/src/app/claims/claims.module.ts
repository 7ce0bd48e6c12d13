import { Logger, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ClaimsService, enrollmentFacePaymentLock } from '@smilepay/claims/application';
import { ClaimsQueries } from '@smilepay/claims/infrastructure';
import { EnrollmentService } from '@smilepay/enrollment/application';
import { LedgerService } from '@smilepay/ledger/application';
import type { EventStore } from '@smilepay/shared/eventstore';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import { CustomersModule } from '../customers/customers.module';
import { EVENT_STORE, READ_MODELS_QUERY } from '../infrastructure/tokens';
import { LedgerModule } from '../ledger/ledger.module';
import { claimsCommandHandlers } from './claims.commands';
import { ClaimsController } from './claims.controller';
import { ClaimsLivePublisher } from './claims-live.publisher';
import { ClaimsSettlementRunner } from './claims-settlement.runner';
import { LossReserveController } from './loss-reserve.controller';

/** Loss claims: filing, deciding, reimbursement from the loss reserve, the face lock, and their live updates. */
@Module({
  imports: [CqrsModule, LedgerModule, CustomersModule],
  controllers: [ClaimsController, LossReserveController],
  providers: [
    {
      provide: ClaimsService,
      inject: [EVENT_STORE, LedgerService, EnrollmentService],
      useFactory: (store: EventStore, ledger: LedgerService, enrollment: EnrollmentService) =>
        new ClaimsService({ store, ledger, faceLock: enrollmentFacePaymentLock(enrollment), logger: new Logger('Claims') }),
    },
    { provide: ClaimsQueries, inject: [READ_MODELS_QUERY], useFactory: (readModels: ReadModelDataSource) => new ClaimsQueries(readModels) },
    ClaimsLivePublisher,
    ClaimsSettlementRunner,
    ...claimsCommandHandlers,
  ],
})
export class ClaimsModule {}
