import { type AccountDefinition, unguardedSide } from '../account';
import type { Book } from '../book';
import type { ApplyCredit } from '../commands';
import { LedgerError } from '../errors';
import type { LedgerCreditApplied } from '../events';
import { assertLedgerId } from '../identifiers';
import { assertAmountInRange, formatMinor } from '../money';
import type { PersistentMap } from '../persistent-map';
import { parseIsoTime } from '../time';

/**
 * Delivers an entry on the account's unguarded side. Delivery is at-least-once (the service right after the home
 * append, the forwarder after a crash), so a transfer id already applied, or recorded in this very stream, changes
 * nothing.
 */
export function decideApplyCredit(
  command: ApplyCredit,
  account: AccountDefinition,
  book: Book,
  appliedCredits: Pick<PersistentMap<true>, 'has'>,
): LedgerCreditApplied[] {
  assertLedgerId(command.transferId, 'transferId');
  parseIsoTime(command.timestamp, 'timestamp');
  if (command.accountId !== account.id) {
    throw new LedgerError('wrong_home_stream', `credit for ${command.accountId} sent to account ${account.id}`);
  }
  const side = unguardedSide(account);
  if (side === undefined || command.side !== side) {
    throw new LedgerError(
      'credit_hits_guarded_side',
      `a ${command.side} on account ${account.id} must be recorded in its stream`,
    );
  }
  if (command.currency !== account.currency) {
    throw new LedgerError(
      'currency_mismatch',
      `account ${account.id} holds ${account.currency}, not ${command.currency}`,
    );
  }
  if (typeof command.amount !== 'bigint') throw new LedgerError('invalid_amount', 'amount must be a bigint');
  assertAmountInRange(command.amount);
  if (appliedCredits.has(command.transferId) || book.fingerprints.has(command.transferId)) return [];
  const data: LedgerCreditApplied['data'] = {
    transferId: command.transferId,
    accountId: command.accountId,
    side: command.side,
    amount: formatMinor(command.amount),
    currency: command.currency,
    sourceStream: command.sourceStream,
    timestamp: command.timestamp,
  };
  if (command.pendingId !== undefined) data.pendingId = command.pendingId;
  return [{ type: 'LedgerCreditApplied', data }];
}
