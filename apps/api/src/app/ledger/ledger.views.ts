import type { TransferRecord } from '@smilepay/ledger/domain';
import type { LedgerAccountEntity } from '@smilepay/ledger/infrastructure';
import type { AccountBalanceView } from '@smilepay/shared/contracts';

export function toBalanceView(row: LedgerAccountEntity): AccountBalanceView {
  return {
    accountId: row.id,
    kind: row.kind,
    currency: row.currency,
    debitsPendingMinor: row.debitsPending.toString(),
    debitsPostedMinor: row.debitsPosted.toString(),
    creditsPendingMinor: row.creditsPending.toString(),
    creditsPostedMinor: row.creditsPosted.toString(),
    availableMinor: (row.creditsPosted - row.debitsPosted - row.debitsPending).toString(),
  };
}

/** Events already carry amounts as decimal strings; the wire renames them with the unit, as every route does. */
export function toTransferWire({ amount, ...rest }: TransferRecord) {
  return { ...rest, amountMinor: amount };
}
