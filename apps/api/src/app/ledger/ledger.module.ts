import { Logger, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LedgerService } from '@smilepay/ledger/application';
import type { EventStore } from '@smilepay/shared/eventstore';
import { EVENT_STORE } from '../infrastructure/tokens';
import { ledgerCommandHandlers } from './ledger.commands';
import { LedgerController } from './ledger.controller';

@Module({
  imports: [CqrsModule],
  controllers: [LedgerController],
  providers: [
    { provide: LedgerService, inject: [EVENT_STORE], useFactory: (store: EventStore) => new LedgerService(store, { logger: new Logger('Ledger') }) },
    ...ledgerCommandHandlers,
  ],
  exports: [LedgerService],
})
export class LedgerModule {}
