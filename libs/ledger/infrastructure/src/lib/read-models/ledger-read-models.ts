import { CreateLedgerReadModels1764100001000 } from './create-ledger-read-models.migration';
import { LedgerAccountEntity } from './ledger-account.entity';
import { ledgerBalancesProjection } from './ledger-balances.projection';
import { LedgerTransferEntity } from './ledger-transfer.entity';
import { ledgerTransfersProjection } from './ledger-transfers.projection';

/** Register these with the read-model DataSource (together with the projection checkpoint ones). */
export const ledgerReadModelEntities = [LedgerAccountEntity, LedgerTransferEntity];
export const ledgerReadModelMigrations = [CreateLedgerReadModels1764100001000];
export const ledgerProjections = [ledgerBalancesProjection, ledgerTransfersProjection];
