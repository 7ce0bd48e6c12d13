import { CustomerSummaryEntity } from './customers/customer-summary.entity';
import { customersProjection } from './customers/customers.projection';
import { CreateCheckoutReadModels1764400000000 } from './migrations/create-checkout-read-models.migration';
import { PaymentEntity } from './payments/payment.entity';
import { paymentsProjection } from './payments/payments.projection';
import { TerminalSummaryEntity } from './terminals/terminal-summary.entity';
import { TransferEventEntity } from './timeline/transfer-event.entity';
import { transferEventsProjection } from './timeline/transfer-events.projection';

/**
 * Register these with the read-model DataSource and the projection runner. The customer search reads wallet
 * currencies from the ledger read model (`ledger_accounts`), so the ledger's read models belong in the same database.
 */
export const checkoutReadModelEntities = [PaymentEntity, TerminalSummaryEntity, CustomerSummaryEntity, TransferEventEntity];
export const checkoutReadModelMigrations = [CreateCheckoutReadModels1764400000000];
export const checkoutProjections = [paymentsProjection, customersProjection, transferEventsProjection];
