import { Logger, Module } from '@nestjs/common';
import { PaymentTimeline } from '@smilepay/checkout/infrastructure';
import type { EventStore } from '@smilepay/shared/eventstore';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import { EVENT_STORE, READ_MODELS_QUERY } from '../infrastructure/tokens';
import { DirectoryController } from './directory.controller';
import { PaymentsController } from './payments.controller';
import { PaymentsLivePublisher } from './payments-live.publisher';

/** Payments, KPIs, terminals and customers for the dashboard, and the live push of payment updates. */
@Module({
  controllers: [PaymentsController, DirectoryController],
  providers: [
    {
      provide: PaymentTimeline,
      inject: [EVENT_STORE, READ_MODELS_QUERY],
      useFactory: (store: EventStore, readModels: ReadModelDataSource) => new PaymentTimeline(store, readModels, new Logger('PaymentTimeline')),
    },
    PaymentsLivePublisher,
  ],
})
export class PaymentsModule {}
