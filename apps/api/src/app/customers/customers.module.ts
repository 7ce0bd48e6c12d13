import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { customerProviders } from './customers.providers';
import { GatewayCheckoutController } from './gateway-checkout.controller';
import { GatewayEnrollmentController } from './gateway-enrollment.controller';
import { OnboardingController } from './onboarding.controller';

/** Merchants, terminals and customers on board; enrollment and checkout as the terminal gateway drives them. */
@Module({
  imports: [LedgerModule],
  controllers: [OnboardingController, GatewayCheckoutController, GatewayEnrollmentController],
  providers: customerProviders,
  exports: customerProviders,
})
export class CustomersModule {}
