import { type AccountDirectory, guardedSide, unguardedSide } from './account';
import { LedgerError } from './errors';
import { accountStreamId, transferStreamId } from './events';
import { requireAccount } from './transfer-batch';

/** Where a batch is appended: the one flagged account whose guarded side it hits, or its own transfer stream. */
export type HomeStream =
  { kind: 'account'; accountId: string; streamId: string } | { kind: 'transfer'; streamId: string };

export interface Leg {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
}

/**
 * Flagged accounts whose guarded side the legs hit, in first-hit order. Only those entries could break a flag, so
 * only they must be serialised by the account's stream; everything else may be written anywhere.
 */
export function guardedAccountsHit(legs: readonly Leg[], accounts: AccountDirectory): string[] {
  const hit: string[] = [];
  const note = (accountId: string) => {
    if (!hit.includes(accountId)) hit.push(accountId);
  };
  legs.forEach((leg, index) => {
    const details = { index, transferId: leg.id };
    if (guardedSide(requireAccount(accounts, leg.debitAccountId, details)) === 'debit') note(leg.debitAccountId);
    if (guardedSide(requireAccount(accounts, leg.creditAccountId, details)) === 'credit') note(leg.creditAccountId);
  });
  return hit;
}

/**
 * The batch's home stream (docs/ARCHITECTURE.md, "Consistency boundaries"). A batch hitting two guarded accounts is
 * refused: no single append could check both flags atomically.
 */
export function homeStreamFor(legs: readonly Leg[], accounts: AccountDirectory): HomeStream {
  if (legs.length === 0) throw new LedgerError('empty_batch', 'a batch needs at least one transfer');
  const guarded = guardedAccountsHit(legs, accounts);
  if (guarded.length > 1) {
    throw new LedgerError(
      'linked_batch_spans_guarded_accounts',
      `the batch hits the guarded sides of ${guarded.length} accounts`,
      {
        accountIds: guarded,
      },
    );
  }
  if (guarded.length === 1) return { kind: 'account', accountId: guarded[0], streamId: accountStreamId(guarded[0]) };
  return { kind: 'transfer', streamId: transferStreamId(legs[0].id) };
}

/** The account id of a `ledger_account-<id>` stream, or undefined for any other stream. */
export function homeAccountOf(streamId: string): string | undefined {
  const prefix = accountStreamId('');
  return streamId.startsWith(prefix) ? streamId.slice(prefix.length) : undefined;
}

/**
 * A posted entry landing on a flagged account's unguarded side: it raises what the account may spend, so the
 * account must hear of it when it was recorded in another stream.
 */
export interface UnguardedEntry {
  accountId: string;
  side: 'debit' | 'credit';
}

export function unguardedEntriesOf(leg: Omit<Leg, 'id'>, accounts: AccountDirectory): UnguardedEntry[] {
  const entries: UnguardedEntry[] = [];
  if (unguardedSide(requireAccount(accounts, leg.debitAccountId)) === 'debit')
    entries.push({ accountId: leg.debitAccountId, side: 'debit' });
  if (unguardedSide(requireAccount(accounts, leg.creditAccountId)) === 'credit')
    entries.push({ accountId: leg.creditAccountId, side: 'credit' });
  return entries;
}
