import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { customerProviders } from './customers.providers';
import { GatewayCheckoutController } from './gateway-checkout.controller';
import { GatewayPinCheckoutController } from './gateway-pin-checkout.controller';
import { GatewayEnrollmentController } from './gateway-enrollment.controller';
import { OnboardingController } from './onboarding.controller';
import { RefundsController } from './refunds.controller';
import { RetentionService } from './retention.service';

/** Merchants, terminals and customers on board; enrollment and checkout as the terminal gateway drives them. */
@Module({
  imports: [LedgerModule],
  controllers: [OnboardingController, GatewayCheckoutController, GatewayPinCheckoutController, GatewayEnrollmentController, RefundsController],
  providers: [...customerProviders, RetentionService],
  exports: customerProviders,
})
export class CustomersModule {}
