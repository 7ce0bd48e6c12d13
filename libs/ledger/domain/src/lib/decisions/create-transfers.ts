import { type AccountDefinition, type Balances, brokenFlag } from '../account';
import { applyDeltasFor, legDeltas } from '../balances';
import { type Book, priorRequest } from '../book';
import type { CreateTransfers } from '../commands';
import { LedgerError } from '../errors';
import type { LedgerTransfersRecorded } from '../events';
import type { Sha256HexOf } from '../fingerprint';
import { homeStreamFor } from '../routing';
import { sha256Hex } from '../sha256';
import { batchFingerprint, toTransferRecords, validateTransferBatch } from '../transfer-batch';

/** The flagged account a home account stream guards, with the balances it knows. */
export interface GuardedHome {
  account: AccountDefinition;
  balances: Balances;
}

/**
 * Records a linked batch in its home stream. `home` is the guarded account for an account stream, undefined for a
 * `ledger_transfer-` stream. Checks run in this order on purpose: input first (bad input is refused even on a
 * retry), then idempotency (a retry must not be re-checked against balances it already moved), then flags.
 */
export function decideCreateTransfers(
  command: CreateTransfers,
  book: Book,
  home: GuardedHome | undefined,
  hashHex: Sha256HexOf = sha256Hex,
): LedgerTransfersRecorded[] {
  validateTransferBatch(command.transfers, command.accounts, command.timestamp);
  const route = homeStreamFor(command.transfers, command.accounts);
  const isHome =
    home === undefined ? route.kind === 'transfer' : route.kind === 'account' && route.accountId === home.account.id;
  if (!isHome)
    throw new LedgerError('wrong_home_stream', `the batch belongs in ${route.streamId}`, {
      homeStream: route.streamId,
    });

  const fingerprint = batchFingerprint(command.transfers, hashHex);
  const ids = command.transfers.map((t) => t.id);
  if (priorRequest(book, ids, fingerprint) === 'retry') return [];

  const event: LedgerTransfersRecorded = {
    type: 'LedgerTransfersRecorded',
    data: { batchId: ids[0], fingerprint, transfers: toTransferRecords(command.transfers, command.timestamp) },
  };
  if (home !== undefined) assertFlagHolds(home, event);
  return [event];
}

/**
 * Applies the legs in order and checks the flag after each one, as TigerBeetle does: an earlier leg of the batch
 * crediting the account may fund a later leg debiting it, never the other way round.
 */
function assertFlagHolds(home: GuardedHome, event: LedgerTransfersRecorded): void {
  let balances = home.balances;
  event.data.transfers.forEach((transfer, index) => {
    balances = applyDeltasFor(home.account.id, balances, legDeltas(transfer));
    const broken = brokenFlag(home.account, balances);
    if (broken === undefined) return;
    const code = broken === 'debits_must_not_exceed_credits' ? 'exceeds_credits' : 'exceeds_debits';
    throw new LedgerError(code, `transfer ${transfer.id} would break ${broken} on account ${home.account.id}`, {
      index,
      transferId: transfer.id,
      accountId: home.account.id,
    });
  });
}
