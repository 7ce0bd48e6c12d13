import type { Balances } from './account';
import type { LedgerEvent, TransferRecord } from './events';

/** How one event moves one account's four counters. Negative values release reservations. */
export interface BalanceDelta extends Balances {
  accountId: string;
}

const delta = (accountId: string, side: 'debit' | 'credit', pending: bigint, posted: bigint): BalanceDelta =>
  side === 'debit'
    ? { accountId, debitsPending: pending, debitsPosted: posted, creditsPending: 0n, creditsPosted: 0n }
    : { accountId, debitsPending: 0n, debitsPosted: 0n, creditsPending: pending, creditsPosted: posted };

/** A recorded leg: single-phase moves posted counters, pending moves pending counters, on both accounts. */
export function legDeltas(transfer: TransferRecord): BalanceDelta[] {
  const amount = BigInt(transfer.amount);
  const [pending, posted] = transfer.kind === 'pending' ? [amount, 0n] : [0n, amount];
  return [
    delta(transfer.debitAccountId, 'debit', pending, posted),
    delta(transfer.creditAccountId, 'credit', pending, posted),
  ];
}

/**
 * The balance effects of a ledger fact, for every account it touches. LedgerCreditApplied has none: it is a
 * delivery copy of an entry whose original event already counted (projections use this function as is).
 */
export function balanceDeltasOf(event: LedgerEvent): BalanceDelta[] {
  switch (event.type) {
    case 'LedgerTransfersRecorded':
      return event.data.transfers.flatMap(legDeltas);
    case 'LedgerPendingPosted': {
      const { debitAccountId, creditAccountId, pendingAmount, amount } = event.data;
      const [released, posted] = [-BigInt(pendingAmount), BigInt(amount)];
      return [delta(debitAccountId, 'debit', released, posted), delta(creditAccountId, 'credit', released, posted)];
    }
    case 'LedgerPendingVoided':
    case 'LedgerPendingExpired': {
      const { debitAccountId, creditAccountId, pendingAmount } = event.data;
      const released = -BigInt(pendingAmount);
      return [delta(debitAccountId, 'debit', released, 0n), delta(creditAccountId, 'credit', released, 0n)];
    }
    case 'LedgerAccountOpened':
    case 'LedgerCreditApplied':
      return [];
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function addDelta(balances: Balances, change: Balances): Balances {
  return {
    debitsPending: balances.debitsPending + change.debitsPending,
    debitsPosted: balances.debitsPosted + change.debitsPosted,
    creditsPending: balances.creditsPending + change.creditsPending,
    creditsPosted: balances.creditsPosted + change.creditsPosted,
  };
}

/** Applies the deltas that concern `accountId` (an account's own stream tracks only its own counters). */
export function applyDeltasFor(accountId: string, balances: Balances, deltas: readonly BalanceDelta[]): Balances {
  return deltas.reduce((current, d) => (d.accountId === accountId ? addDelta(current, d) : current), balances);
}
